package dev.cutover.engine;

import dev.cutover.command.Registry;

/** What a running script reaches of its notebook. */
interface Session {
    Registry registry();

    Object invokeCommand(String name, Object[] args);

    void print(String text);
}
