package dev.cutover.engine;

import groovy.lang.Binding;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one binding shared by every step and typed line; it knows its session without showing it as a variable. */
final class SessionBinding extends Binding {
    private final Session session;

    SessionBinding(Session session) {
        super(new LinkedHashMap<>());
        this.session = session;
    }

    Session session() {
        return session;
    }

    /** User-visible variables, in the order they were first set. */
    @SuppressWarnings("unchecked")
    Map<String, Object> userVariables() {
        Map<String, Object> vars = new LinkedHashMap<>((Map<String, Object>) getVariables());
        vars.remove("params");
        return vars;
    }
}
