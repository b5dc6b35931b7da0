package dev.payrail.platform;

/** Resolves the {@link Actor} behind the request being served ({@link Actor#SYSTEM} outside a request). */
@FunctionalInterface
public interface CurrentActor {

    Actor get();
}
