package dev.payrail.platform;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Many rows into one table as ONE statement: {@code INSERT … SELECT … FROM unnest(?::type[], …)}, one typed
 * array per column. Because it is a single statement it also composes as a data-modifying CTE, which is how the
 * intake's group commit writes idempotency keys, payments, sealed cards and events in one round trip while each
 * table's SQL stays in the module that owns the table.
 *
 * <p>Inside the statement the unnested row is aliased {@code r} and its columns carry the table's column names,
 * so a filter reads {@code r.payment_id in (select payment_id from new_payments)}.
 *
 * @param <R> the Java row type the column values are read from
 */
public final class BatchInsert<R> {

    /** PostgreSQL array element types this builder binds, with the Java type the driver encodes for each. */
    public enum Type {
        UUID("uuid", java.util.UUID.class),
        TEXT("text", String.class),
        INT2("int2", Short.class),
        INT4("int4", Integer.class),
        INT8("int8", Long.class),
        BOOL("bool", Boolean.class),
        BYTEA("bytea", byte[].class),
        /** An {@link Instant}, sent as epoch microseconds and turned back into a timestamptz by the statement. */
        TIMESTAMP("int8", Long.class);

        private final String sqlName;
        private final Class<?> javaType;

        Type(String sqlName, Class<?> javaType) {
            this.sqlName = sqlName;
            this.javaType = javaType;
        }
    }

    private record Column<R>(String name, Type type, Function<? super R, ?> value) {

        String selectExpression() {
            return type == Type.TIMESTAMP
                    ? "to_timestamp(r." + name + " / 1000000.0) as " + name
                    : "r." + name;
        }

        Object bindValue(R row) {
            Object v = value.apply(row);
            if (type == Type.TIMESTAMP && v instanceof Instant instant) {
                return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
            }
            return v;
        }
    }

    private final String table;
    private final List<Column<R>> columns;

    private BatchInsert(String table, List<Column<R>> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
    }

    public static <R> Builder<R> into(String table) {
        return new Builder<>(table);
    }

    /**
     * The insert for a record that mirrors its table: one column per component, named in snake_case
     * ({@code paymentId} → {@code payment_id}), typed by the component's Java type. The record may be
     * package-private to its module's package: its accessors are made accessible here, once.
     */
    public static <R extends Record> BatchInsert<R> ofRecord(String table, Class<R> recordType) {
        Builder<R> builder = new Builder<>(table);
        for (RecordComponent component : recordType.getRecordComponents()) {
            String column = Text.snakeCase(component.getName());
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            builder.column(column, typeOf(component.getType()), row -> {
                try {
                    return accessor.invoke(row);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName() + " of " + recordType, e);
                }
            });
        }
        return builder.build();
    }

    private static Type typeOf(Class<?> javaType) {
        if (javaType == java.util.UUID.class) {
            return Type.UUID;
        } else if (javaType == String.class) {
            return Type.TEXT;
        } else if (javaType == byte[].class) {
            return Type.BYTEA;
        } else if (javaType == Instant.class) {
            return Type.TIMESTAMP;
        } else if (javaType == long.class || javaType == Long.class) {
            return Type.INT8;
        } else if (javaType == int.class || javaType == Integer.class) {
            return Type.INT4;
        }
        throw new IllegalArgumentException("no column type for " + javaType);
    }

    /** Collects the columns of a {@link BatchInsert}, in insert order. */
    public static final class Builder<R> {
        private final String table;
        private final List<Column<R>> columns = new ArrayList<>();

        private Builder(String table) {
            this.table = table;
        }

        public Builder<R> column(String name, Type type, Function<? super R, ?> value) {
            columns.add(new Column<>(name, type, value));
            return this;
        }

        public BatchInsert<R> build() {
            return new BatchInsert<>(table, columns);
        }
    }

    /** The column names in insert order, comma-separated: {@code a, b, c}. */
    public String columnNames() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    /** The insert of all rows. */
    public String sql() {
        return sql("", "");
    }

    /**
     * The insert, keeping only rows that pass {@code where} (empty for all) and ending with {@code returning}
     * (empty for nothing, else e.g. {@code "returning payment_id"}).
     */
    public String sql(String where, String returning) {
        return "insert into " + table + " (" + columnNames() + ") " + select()
                + (where.isEmpty() ? "" : " where " + where)
                + (returning.isEmpty() ? "" : " " + returning);
    }

    /**
     * The rows as a derived table aliased {@code r}, with the table's column names and types, for a statement that
     * reads them rather than inserts them: {@code update t set … from <rows()> where t.id = r.id}. Bound like the
     * insert ({@link #bind}).
     */
    public String rows() {
        return "(" + select() + ") as r";
    }

    /** {@code select <typed columns> from unnest(<one array per column>) as r(<names>)}. */
    private String select() {
        String arrays = columns.stream().map(c -> "?::" + c.type().sqlName + "[]").collect(Collectors.joining(", "));
        String selected = columns.stream().map(Column::selectExpression).collect(Collectors.joining(", "));
        return "select " + selected + " from unnest(" + arrays + ") as r(" + columnNames() + ")";
    }

    /** Binds one array per column, starting at parameter {@code index}; returns the next free index. */
    public int bind(PreparedStatement statement, int index, List<? extends R> rows) throws SQLException {
        Connection connection = statement.getConnection();
        int next = index;
        for (Column<R> column : columns) {
            statement.setArray(next++, array(connection, column, rows));
        }
        return next;
    }

    /** Inserts the rows on this connection, in whatever transaction it is in; returns the number inserted. */
    public int insert(Connection connection, List<? extends R> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql())) {
            bind(statement, 1, rows);
            return statement.executeUpdate();
        }
    }

    private Array array(Connection connection, Column<R> column, List<? extends R> rows) throws SQLException {
        // Typed arrays, so the driver encodes each element by its Java type rather than by toString().
        Object[] values = (Object[]) java.lang.reflect.Array.newInstance(column.type().javaType, rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.bindValue(rows.get(i));
        }
        return connection.createArrayOf(column.type().sqlName, values);
    }
}
