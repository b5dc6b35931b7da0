package dev.payrail.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The roles one Payrail process can play; a distributed deployment runs the same jar with a subset. */
public enum Role {
    API, RELAY, PROCESSING, WEBHOOKS, ADMIN, SIMULATORS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
