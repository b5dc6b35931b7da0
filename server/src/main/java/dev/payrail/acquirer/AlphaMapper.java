package dev.payrail.acquirer;

/**
 * Acquirer {@code alpha}'s wire format: today exactly the simulator protocol. This class is where {@code alpha}'s own
 * request fields, status codes and decline codes go when it departs from that protocol, without touching the
 * other acquirers.
 */
final class AlphaMapper extends SimulatorProtocolMapper {}
