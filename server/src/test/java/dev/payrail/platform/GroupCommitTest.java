package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Which failed batches the group-commit writers write again item by item: only those one item (or a race with
 * another transaction) can have caused. A database that is away must fail the batch at once, not once per item
 * after a pool time-out each.
 */
class GroupCommitTest {

    @Test
    void aRowsOwnFaultOrARaceIsWorthSplittingTheBatch() {
        for (String state : new String[] {"23505", "23514", "23503", "22P02", "22001", "40P01", "40001"}) {
            assertThat(GroupCommit.worthSplitting(new SQLException("refused", state))).as(state).isTrue();
        }
    }

    @Test
    void aDatabaseAwayOrAnythingUnknownFailsTheBatchAtOnce() {
        for (String state : new String[] {"08001", "08006", "57P01", "53300", "XX000"}) {
            assertThat(GroupCommit.worthSplitting(new SQLException("away", state))).as(state).isFalse();
        }
        assertThat(GroupCommit.worthSplitting(new SQLException("no state"))).isFalse();
    }
}
