package dev.payrail.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Reads of payments. Writes go through {@link PaymentWriter}, which batches them. */
@Repository
public class Payments {

    private static final String COLUMNS = """
            payment_id, merchant_id, amount, currency, status, order_id, description, idempotency_key,
            customer_email, customer_ip, customer_country, card_bin, card_last4, card_fingerprint,
            card_exp_month, card_exp_year, card_token, created_at, updated_at, acquirer, decline_code""";

    private final JdbcClient jdbc;

    public Payments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The payment, whoever it belongs to (for the roles that work on payments, not for merchant answers). */
    public Optional<Payment> find(UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ?")
                .param(paymentId)
                .query(Payments::map)
                .optional();
    }

    /** The payment if it exists and belongs to this merchant; another merchant's payment is not found. */
    public Optional<Payment> find(UUID merchantId, UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ? and merchant_id = ?")
                .params(paymentId, merchantId)
                .query(Payments::map)
                .optional();
    }

    /**
     * The payment with its row locked ({@code for update}) until the caller's transaction ends: refunds of one
     * payment are serialised on this lock, so the sum they check cannot change under them.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Payment> lock(UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ? for update")
                .param(paymentId)
                .query(Payments::map)
                .optional();
    }

    /** One page, newest first. Ids are UUIDv7 (time-ordered), so the cursor is simply the last id seen. */
    public List<Payment> page(UUID merchantId, UUID startingAfter, String idempotencyKey, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from payments where merchant_id = :merchant");
        var spec = new HashMap<String, Object>();
        spec.put("merchant", merchantId);
        if (startingAfter != null) {
            sql.append(" and payment_id < :after");
            spec.put("after", startingAfter);
        }
        if (idempotencyKey != null) {
            sql.append(" and idempotency_key = :key");
            spec.put("key", idempotencyKey);
        }
        sql.append(" order by payment_id desc limit :limit");
        spec.put("limit", limit);
        return jdbc.sql(sql.toString()).params(spec).query(Payments::map).list();
    }

    private static Payment map(ResultSet rs, int row) throws SQLException {
        String email = rs.getString("customer_email");
        String ip = rs.getString("customer_ip");
        String country = rs.getString("customer_country");
        PaymentRequest.Customer customer = email == null && ip == null && country == null
                ? null : new PaymentRequest.Customer(email, ip, country);
        String last4 = rs.getString("card_last4");
        Payment.CardSummary card = last4 == null ? null : new Payment.CardSummary(rs.getString("card_bin"), last4,
                rs.getString("card_fingerprint"), rs.getInt("card_exp_month"), rs.getInt("card_exp_year"),
                rs.getObject("card_token", UUID.class));
        return new Payment(
                rs.getObject("payment_id", UUID.class),
                rs.getObject("merchant_id", UUID.class),
                rs.getLong("amount"),
                rs.getString("currency"),
                PaymentStatus.fromWire(rs.getString("status")),
                rs.getString("order_id"),
                rs.getString("description"),
                rs.getString("idempotency_key"),
                customer,
                card,
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("acquirer"),
                rs.getString("decline_code"));
    }
}
