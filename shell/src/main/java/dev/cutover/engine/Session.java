package dev.cutover.engine;


/** What a running script reaches of its notebook. */
interface Session {
    Registry registry();

    Object invokeCommand(String name, Object[] args);

    void print(String text);
}
