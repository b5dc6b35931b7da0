package dev.payrail.acquirer;

/**
 * Acquirer {@code gamma}'s wire format: today exactly the simulator protocol. This class is where {@code gamma}'s own
 * request fields, status codes and decline codes go when it departs from that protocol, without touching the
 * other acquirers.
 */
final class GammaMapper extends SimulatorProtocolMapper {}
