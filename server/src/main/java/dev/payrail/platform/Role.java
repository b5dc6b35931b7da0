package dev.payrail.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The roles one Payrail process can play; a distributed deployment runs the same jar with a subset. */
public enum Role implements WireName {
    API, RELAY, PROCESSING, WEBHOOKS, ADMIN, SIMULATORS;

    /** The roles this process plays: {@code payrail.roles}, or every role when it is not set. */
    public static java.util.Set<Role> active(org.springframework.core.env.PropertyResolver settings) {
        String configured = settings.getProperty("payrail.roles");
        return configured == null ? java.util.EnumSet.allOf(Role.class) : parseList(configured);
    }

    /** Parses a comma list such as {@code PAYRAIL_ROLES}; an unknown name is an error, not a silent no-op. */
    public static java.util.Set<Role> parseList(String commaList) {
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (String name : commaList.split(",")) {
            if (!name.isBlank()) {
                roles.add(parse(name));
            }
        }
        return roles;
    }

    public static Role parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.wireName().equals(wanted)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name.trim() + "' in PAYRAIL_ROLES; known roles: "
                + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
    }
}
