package dev.payrail.platform;

import java.util.Set;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Backs {@link ConditionalOnRole}; an unknown role name fails start-up instead of being ignored. */
final class OnRoleCondition implements Condition {

    static final String DEFAULT_ROLES = "api,relay,processing,webhooks,admin,simulators";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
        if (attributes == null) {
            return true;
        }
        Role wanted = (Role) attributes.get("value");
        return activeRoles(context.getEnvironment()).contains(wanted);
    }

    static Set<Role> activeRoles(Environment environment) {
        String configured = environment.getProperty("payrail.roles", DEFAULT_ROLES);
        return Role.parseList(configured);
    }
}
