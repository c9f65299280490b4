package dev.cutover.engine;

import groovy.lang.DelegatingMetaClass;
import groovy.lang.GroovySystem;
import groovy.lang.MetaClass;
import groovy.lang.MetaClassRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
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
    /** The classes whose calls are looked at; the refused names are {@link ExitCallGuard}'s, and Thread.stop. */
    private static final Set<Class<?>> GUARDED = Set.of(System.class, Runtime.class, Thread.class);
    private static volatile boolean installed;

    private ExitRefusals() {
    }

    /** Once per JVM, before the first block runs. */
    static synchronized void install() {
        if (installed) return;
        MetaClassRegistry registry = GroovySystem.getMetaClassRegistry();
        for (Class<?> type : GUARDED) {
            registry.setMetaClass(type, guarded(registry.getMetaClass(type), (receiver, name, args) -> refuse(type, name)));
        }
        Set<String> invoke = Set.of("invoke");
        registry.setMetaClass(Method.class, guarded(registry.getMetaClass(Method.class), (receiver, name, args) -> {
            if (invoke.contains(name) && receiver instanceof Method m) refuse(m.getDeclaringClass(), m.getName());
        }));
        Set<String> lookups = Set.of("findStatic", "findVirtual", "findSpecial", "unreflect", "unreflectSpecial");
        registry.setMetaClass(MethodHandles.Lookup.class, guarded(registry.getMetaClass(MethodHandles.Lookup.class), (receiver, name, args) -> {
            if (!lookups.contains(name) || args == null || args.length == 0) return;
            if (args[0] instanceof Method m) refuse(m.getDeclaringClass(), m.getName());
            else if (args.length >= 2 && args[0] instanceof Class<?> c) refuse(c, String.valueOf(args[1]));
        }));
        installed = true;
    }

    /** Throws the refusal when {@code type.name} ends the JVM or stops a thread. */
    private static void refuse(Class<?> type, String name) {
        String why = Thread.class.isAssignableFrom(type) && name.equals("stop")
                ? "Thread.stop would end cutover itself; to fail the step, throw new Exception('why') (a batch run then stops with exit 1)"
                : ExitCallGuard.refusalOf(type, name);
        if (why != null) throw new SecurityException(why);
    }

    /** What a guarded metaclass asks of each dynamic call before it delegates. */
    private interface Rule {
        void check(Object receiver, String methodName, Object[] arguments);
    }

    /** The original metaclass, with {@code rule} asked first on every way Groovy invokes a method through it. */
    private static MetaClass guarded(MetaClass original, Rule rule) {
        DelegatingMetaClass mc = new DelegatingMetaClass(original) {
            @Override
            public Object invokeMethod(Object object, String methodName, Object[] arguments) {
                rule.check(object, methodName, arguments);
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Object object, String methodName, Object arguments) {
                rule.check(object, methodName, arguments instanceof Object[] a ? a : new Object[] {arguments});
                return super.invokeMethod(object, methodName, arguments);
            }

            @Override
            public Object invokeMethod(Class sender, Object receiver, String methodName, Object[] arguments, boolean isCallToSuper,
                                       boolean fromInsideClass) {
                rule.check(receiver, methodName, arguments);
                return super.invokeMethod(sender, receiver, methodName, arguments, isCallToSuper, fromInsideClass);
            }

            @Override
            public Object invokeStaticMethod(Object object, String methodName, Object[] arguments) {
                rule.check(object, methodName, arguments);
                return super.invokeStaticMethod(object, methodName, arguments);
            }
        };
        mc.initialize();
        return mc;
    }
}
