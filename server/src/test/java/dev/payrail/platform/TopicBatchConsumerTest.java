package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TopicBatchConsumerTest {

    private static ConsumerRecord<String, String> record(long offset, String value) {
        return new ConsumerRecord<>("payments", 0, offset, "key", value);
    }

    @Test
    void aRecordThatCannotBeReadIsSkippedAndTheOthersKeepTheirOrder() {
        List<ConsumerRecord<String, String>> poll = List.of(record(1, "2"), record(2, "not a number"),
                record(3, "-"), record(4, "7"));
        List<Integer> read = TopicBatchConsumer.readEach(poll,
                value -> value.equals("-") ? List.of() : List.of(Integer.parseInt(value), Integer.parseInt(value) * 10));
        assertThat(read).containsExactly(2, 20, 7, 70);
    }
}
