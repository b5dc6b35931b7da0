package dev.payrail.platform;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells a database that is down, frozen, overloaded or locked (answer 503 and let the client retry) from a bug in
 * a statement (a 500 with an incident id).
 */
public final class DatabaseFaults {

    private DatabaseFaults() {}

    public static boolean isUnavailable(Throwable fault) {
        for (Throwable e = fault; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
                    || e instanceof RecoverableDataAccessException || e instanceof SQLTransientException
                    || e instanceof SQLRecoverableException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null) {
                // 08: connection exception; 53: insufficient resources; 57: operator intervention, which
                // includes 57014, a statement cancelled by its timeout.
                String sqlClass = sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
                if (sqlClass.equals("08") || sqlClass.equals("53") || sqlClass.equals("57")) {
                    return true;
                }
            }
        }
        return false;
    }
}
