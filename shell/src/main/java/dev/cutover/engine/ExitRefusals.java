package dev.cutover.engine;

import groovy.lang.DelegatingMetaClass;
import groovy.lang.GroovySystem;
import groovy.lang.MetaClass;
import groovy.lang.MetaClassRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, while a block runs, the calls that would end cutover's JVM or stop its threads, when they come
 * through Groovy's dynamic dispatch: {@link ExitCallGuard} refuses them where the source names them, but
 * text evaluated at run time ({@code Eval.me}, {@code evaluate}, a {@code GroovyShell}), a receiver
 * computed at run time ({@code [System][0].exit(1)}, a class loaded by name, {@code invokeMethod} with a
 * built name) and reflection ({@code Method.invoke}, {@code MethodHandles.Lookup}) reach them only there.
 * Groovy asks the metaclass of the receiver's class for every dynamic call, so a metaclass that refuses
 * those few names, and delegates everything else, sees them all. Code compiled statically
 * ({@code @CompileStatic}) and {@code sun.misc.Unsafe} are outside Groovy's dispatch; the exit code
 * stays cutover's even then (the CLI's exit status check).
 */
final class ExitRefusals {
    private static final String WHY = " would end cutover itself; to fail the step, throw new Exception('why') (a batch run then stops with exit 1)";
    /** Per class, the method names refused on it. */
    private static final Map<Class<?>, Set<String>> REFUSED = Map.of(
            System.class, Set.of("exit", "setSecurityManager"),
            Runtime.class, Set.of("exit", "halt"),
            Thread.class, Set.of("stop"));
    private static volatile boolean installed;

    private ExitRefusals() {
    }

    /** Once per JVM, before the first block runs. */
    static synchronized void install() {
        if (installed) return;
        MetaClassRegistry registry = GroovySystem.getMetaClassRegistry();
        REFUSED.forEach((type, names) -> registry.setMetaClass(type, refusing(registry.getMetaClass(type), names)));
        registry.setMetaClass(Method.class, reflective(registry.getMetaClass(Method.class), "invoke"));
        registry.setMetaClass(MethodHandles.Lookup.class, reflective(registry.getMetaClass(MethodHandles.Lookup.class),
                "findStatic", "findVirtual", "findSpecial", "unreflect", "unreflectSpecial"));
        installed = true;
    }

    /** Whether {@code type.name} is one of the refused calls. */
    static boolean refused(Class<?> type, String name) {
        for (var e : REFUSED.entrySet()) {
            if (e.getKey().isAssignableFrom(type) && e.getValue().contains(name)) return true;
        }
        return false;
    }

    private static RuntimeException refusal(Class<?> type, String name) {
        return new SecurityException(type.getSimpleName() + "." + name + WHY);
    }

    /** The metaclass of a refused class: the refused names fail, everything else is the original's. */
    private static MetaClass refusing(MetaClass original, Set<String> names) {
        DelegatingMetaClass mc = new DelegatingMetaClass(original) {
            @Override
            public Object invokeMethod(Object object, String methodName, Object[] arguments) {
                check(methodName);
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Object object, String methodName, Object arguments) {
                check(methodName);
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Class sender, Object receiver, String methodName, Object[] arguments, boolean isCallToSuper,
                                       boolean fromInsideClass) {
                check(methodName);
                return super.invokeMethod(sender, receiver, methodName, arguments, isCallToSuper, fromInsideClass);
            }

            @Override
            public Object invokeStaticMethod(Object object, String methodName, Object[] arguments) {
                check(methodName);
                return super.invokeStaticMethod(object, methodName, arguments);
            }

            private void check(String methodName) {
                if (names.contains(methodName)) throw refusal(getTheClass(), methodName);
            }
        };
        mc.initialize();
        return mc;
    }

    /**
     * The metaclass of a reflective entry point ({@code Method.invoke}, {@code Lookup.findStatic}, ...): refused
     * when what it would reach is one of the refused calls.
     */
    private static MetaClass reflective(MetaClass original, String... entryPoints) {
        Set<String> entries = Set.of(entryPoints);
        DelegatingMetaClass mc = new DelegatingMetaClass(original) {
            @Override
            public Object invokeMethod(Object object, String methodName, Object[] arguments) {
                check(object, methodName, arguments);
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Object object, String methodName, Object arguments) {
                check(object, methodName, arguments instanceof Object[] a ? a : new Object[] {arguments});
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Class sender, Object receiver, String methodName, Object[] arguments, boolean isCallToSuper,
                                       boolean fromInsideClass) {
                check(receiver, methodName, arguments);
                return super.invokeMethod(sender, receiver, methodName, arguments, isCallToSuper, fromInsideClass);
            }

            private void check(Object receiver, String methodName, Object[] arguments) {
                if (!entries.contains(methodName)) return;
                if (receiver instanceof Method m && refused(m.getDeclaringClass(), m.getName())) throw refusal(m.getDeclaringClass(), m.getName());
                if (arguments != null && arguments.length >= 2 && arguments[0] instanceof Class<?> c && refused(c, String.valueOf(arguments[1]))) {
                    throw refusal(c, String.valueOf(arguments[1]));
                }
                if (arguments != null && arguments.length >= 1 && arguments[0] instanceof Method m && refused(m.getDeclaringClass(), m.getName())) {
                    throw refusal(m.getDeclaringClass(), m.getName());
                }
            }
        };
        mc.initialize();
        return mc;
    }
}
