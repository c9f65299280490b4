package dev.cutover.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Objects that outlive a step, one per type (active freezes, SSH connections), closed with the session. */
final class SessionObjects implements AutoCloseable {
    private final Map<Class<?>, Object> byType = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    <T> T get(Class<T> type, Supplier<T> create) {
        return (T) byType.computeIfAbsent(type, k -> create.get());
    }

    /** Closes what the session opened (SSH connections, JDBC connections). */
    @Override
    public void close() {
        for (Object state : byType.values()) {
            if (state instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at exit: nothing useful to do with a failure
                }
            }
        }
        byType.clear();
    }
}
