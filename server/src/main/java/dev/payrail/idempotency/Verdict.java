package dev.payrail.idempotency;

/** What to answer a request whose key was already taken. */
public sealed interface Verdict {

    /** The same operation with the same request: answer what was answered the first time. */
    record Replay(StoredAnswer answer) implements Verdict {}

    /** The key was used for another request (or another operation): refuse, never answer the old result. */
    record Conflict() implements Verdict {}
}
