package dev.payrail.outbox;

import dev.payrail.platform.PayrailProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The topics, created at start-up by Spring Kafka's admin with the configured partition count. */
@Configuration(proxyBeanMethods = false)
class OutboxConfig {

    @Bean
    NewTopic paymentsTopic(PayrailProperties properties) {
        return TopicBuilder.name(properties.topics().payments())
                .partitions(properties.topics().partitions())
                .build();
    }
}
