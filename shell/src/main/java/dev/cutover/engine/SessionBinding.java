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

    /** Methods defined in earlier blocks ({@code def f(n) {...}}), callable from later ones. */
    final Map<String, groovy.lang.Closure<?>> functions = new java.util.concurrent.ConcurrentHashMap<>();

    /** Keeps the methods a script declared, so a helper defined in one step or line works in the next. */
    void keepFunctions(groovy.lang.Script script) {
        for (java.lang.reflect.Method m : script.getClass().getDeclaredMethods()) {
            String name = m.getName();
            if (m.isSynthetic() || name.equals("run") || name.equals("main") || name.contains("$")
                    || !java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            functions.put(name, new org.codehaus.groovy.runtime.MethodClosure(script, name));
        }
    }

    /** User-visible variables, in the order they were first set. */
    @SuppressWarnings("unchecked")
    Map<String, Object> userVariables() {
        Map<String, Object> vars = new LinkedHashMap<>((Map<String, Object>) getVariables());
        vars.remove("params");
        return vars;
    }
}
