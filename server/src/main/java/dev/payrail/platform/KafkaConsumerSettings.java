package dev.payrail.platform;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The settings every Payrail consumer group uses: this deployment's connection and security settings (from the
 * Kafka admin client's), the group, string keys and values, from the earliest record, and offsets committed only
 * by the consumer itself — after its database commit.
 */
public final class KafkaConsumerSettings {

    private KafkaConsumerSettings() {}

    public static Map<String, Object> of(Map<String, Object> connection, String group, int pollRecordsMax) {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, pollRecordsMax);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }
}
