package dev.cutover.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Types;

/**
 * Refuses, when a block is compiled, the calls that would end the shell's own JVM: System.exit,
 * Runtime.exit/halt, ProcessHandle.current().destroy(), and System.setSecurityManager, which
 * would change the JVM's rules under the shell. The shell is the process holding the transcript and
 * the freezes: ending it from a block cuts the transcript mid-step and leaves writes frozen.
 *
 * <p>It sees what the source shows after names are resolved (so {@code java.lang.System}, import
 * aliases and static imports are covered): direct calls, method pointers and references, the
 * receiver held in a local variable of the same block, {@code with}/{@code tap} closures, names
 * written as constant strings or GStrings of constants, and reflective calls ({@code invokeMethod},
 * {@code getMethod}, ...) that name the method as a constant. It cannot see what only exists at run
 * time: a receiver passed through a collection, parameter or another step's variable, a name built
 * from variables on some other receiver, code compiled at run time ({@code evaluate},
 * {@code new GroovyShell()}), or a shell command that kills our pid. For those the freezes are
 * still undone by the JVM shutdown hook the app installs.
 */
final class ExitCallGuard extends CompilationCustomizer {
    /** Calls that name the method to call as an argument. */
    private static final Set<String> REFLECTIVE = Set.of("invokeMethod", "invokeStaticMethod", "getMethod", "getDeclaredMethod",
            "getMetaMethod", "getStaticMetaMethod", "pickMethod");
    /** Calls whose closure runs with the receiver as its delegate: {@code System.with { exit(1) }}. */
    private static final Set<String> DELEGATING = Set.of("with", "tap", "identity");

    /** What a receiver is, and which of its methods end the JVM. */
    private enum Receiver {
        SYSTEM("System", Set.of("exit", "setSecurityManager")),
        RUNTIME("Runtime", Set.of("exit", "halt")),
        THIS_PROCESS("ProcessHandle.current()", Set.of("destroy", "destroyForcibly"));

        final String shown;
        final Set<String> forbidden;

        Receiver(String shown, Set<String> forbidden) {
            this.shown = shown;
            this.forbidden = forbidden;
        }

        String refusal(String method) {
            if (method.equals("setSecurityManager")) {
                return "System.setSecurityManager would change the rules of cutover's own JVM; a runbook may not call it";
            }
            return shown + "." + method + " would end cutover itself; to fail the step, throw new Exception('why')"
                    + " (a batch run then stops with exit 1)";
        }
    }

    /**
     * The refusal of {@code type.method} when it is one of the calls this check refuses by name (System.exit,
     * Runtime.halt, ...), else null: {@link ExitRefusals} refuses the same calls, with the same words, when
     * they are reached at run time.
     */
    static String refusalOf(Class<?> type, String method) {
        Receiver r = type == System.class ? Receiver.SYSTEM : type == Runtime.class ? Receiver.RUNTIME : null;
        return r != null && r.forbidden.contains(method) ? r.refusal(method) : null;
    }

    ExitCallGuard() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        if (!module.getClasses().isEmpty() && module.getClasses().get(0) == classNode) checkStaticImports(source, module);
        new Visitor(source).visitClass(classNode);
    }

    /** {@code import static java.lang.System.exit} (with or without an alias) is refused at the import line. */
    private static void checkStaticImports(SourceUnit source, ModuleNode module) {
        for (ImportNode i : module.getStaticImports().values()) {
            Receiver r = ofClass(i.getType());
            if (r != null && r.forbidden.contains(i.getFieldName())) refuse(source, r.refusal(i.getFieldName()), i);
        }
    }

    private static void refuse(SourceUnit source, String message, ASTNode at) {
        source.getErrorCollector().addError(new ForbiddenCode(message, at), source);
    }

    private static Receiver ofClass(ClassNode type) {
        if (type == null) return null;
        return switch (type.getName()) {
            case "java.lang.System" -> Receiver.SYSTEM;
            case "java.lang.Runtime" -> Receiver.RUNTIME;
            default -> null;
        };
    }

    private static boolean isClass(Expression e, Class<?> type) {
        return e instanceof ClassExpression c && c.getType().getName().equals(type.getName());
    }

    /** The text of a string the compiler already knows: a literal, a GString of literals, or literals joined with +. */
    static String constantText(Expression e) {
        if (e instanceof ConstantExpression c) return c.getValue() instanceof String s ? s : null;
        if (e instanceof GStringExpression g) {
            StringBuilder sb = new StringBuilder();
            List<ConstantExpression> strings = g.getStrings();
            List<Expression> values = g.getValues();
            for (int i = 0; i < strings.size(); i++) {
                sb.append(strings.get(i).getValue());
                if (i < values.size()) {
                    String v = constantText(values.get(i));
                    if (v == null) return null;
                    sb.append(v);
                }
            }
            return sb.toString();
        }
        if (e instanceof BinaryExpression b && b.getOperation().getType() == Types.PLUS) {
            String l = constantText(b.getLeftExpression());
            String r = constantText(b.getRightExpression());
            return l == null || r == null ? null : l + r;
        }
        return null;
    }

    private static List<Expression> arguments(Expression args) {
        return args instanceof TupleExpression t ? t.getExpressions() : List.of(args);
    }

    private static final class Visitor extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        /** Local names this block assigned a dangerous receiver to ({@code def r = Runtime.getRuntime()}). */
        private final Map<String, Receiver> variables = new HashMap<>();
        /** The delegate of the closures being visited, for {@code System.with { exit(1) }}. */
        private final Deque<Receiver> delegates = new ArrayDeque<>();

        Visitor(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        private Receiver receiverOf(Expression e) {
            if (e instanceof ClassExpression c) return ofClass(c.getType());
            if (e instanceof VariableExpression v) return variables.get(v.getName());
            if (e instanceof CastExpression c) return receiverOf(c.getExpression());
            if (e instanceof PropertyExpression p) {
                String property = p.getPropertyAsString();
                if (isClass(p.getObjectExpression(), Runtime.class) && "runtime".equals(property)) return Receiver.RUNTIME;
                if ("class".equals(property) || "metaClass".equals(property)) return receiverOf(p.getObjectExpression());
                return null;
            }
            if (e instanceof MethodCallExpression m) {
                String name = constantText(m.getMethod());
                Expression object = m.getObjectExpression();
                if (isClass(object, Runtime.class) && "getRuntime".equals(name)) return Receiver.RUNTIME;
                if (isClass(object, ProcessHandle.class) && "current".equals(name)) return Receiver.THIS_PROCESS;
                if (isClass(object, Class.class) && "forName".equals(name)) {
                    List<Expression> args = arguments(m.getArguments());
                    String className = args.isEmpty() ? null : constantText(args.get(0));
                    if ("java.lang.System".equals(className)) return Receiver.SYSTEM;
                    if ("java.lang.Runtime".equals(className)) return Receiver.RUNTIME;
                    return null;
                }
                if ("getMetaClass".equals(name) || "getClass".equals(name)) return receiverOf(object);
            }
            return null;
        }

        private void remember(Expression target, Expression value) {
            if (target instanceof VariableExpression v) {
                Receiver r = receiverOf(value);
                if (r != null) variables.put(v.getName(), r);
            }
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression e) {
            if (!e.isMultipleAssignmentDeclaration()) remember(e.getLeftExpression(), e.getRightExpression());
            super.visitDeclarationExpression(e);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression e) {
            if (e.getOperation().getType() == Types.ASSIGN) remember(e.getLeftExpression(), e.getRightExpression());
            super.visitBinaryExpression(e);
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = constantText(call.getMethod());
            Receiver r = call.isImplicitThis() ? delegates.peek() : receiverOf(call.getObjectExpression());
            if (r != null) {
                if (name == null) {
                    refuse(source, "a call on " + r.shown + " whose name is computed at run time cannot be checked"
                            + " (it could end cutover itself); call the method by its name", call);
                } else if (r.forbidden.contains(name)) {
                    refuse(source, r.refusal(name), call);
                }
            }
            checkReflective(name, call);
            if (r != null && name != null && DELEGATING.contains(name)) {
                call.getObjectExpression().visit(this);
                delegates.push(r);
                try {
                    call.getArguments().visit(this);
                } finally {
                    delegates.pop();
                }
                return;
            }
            super.visitMethodCallExpression(call);
        }

        /** {@code System.invokeMethod('exit', 3)}, {@code InvokerHelper.invokeStaticMethod(System, 'exit', 3)}, {@code System.getMethod('exit', int)}. */
        private void checkReflective(String name, MethodCallExpression call) {
            if (name == null || !REFLECTIVE.contains(name)) return;
            List<Expression> args = arguments(call.getArguments());
            Receiver r = receiverOf(call.getObjectExpression());
            for (int i = 0; r == null && i < args.size(); i++) r = receiverOf(args.get(i));
            if (r == null) return;
            for (Expression a : args) {
                String named = constantText(a);
                if (named != null && r.forbidden.contains(named)) {
                    refuse(source, r.refusal(named), call);
                    return;
                }
            }
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            // What a static import turns exit(3) into.
            Receiver r = ofClass(call.getOwnerType());
            if (r != null && r.forbidden.contains(call.getMethod())) refuse(source, r.refusal(call.getMethod()), call);
            super.visitStaticMethodCallExpression(call);
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression pointer) {
            // System.&exit and System::exit
            Receiver r = receiverOf(pointer.getExpression());
            String name = constantText(pointer.getMethodName());
            if (r != null && name != null && r.forbidden.contains(name)) refuse(source, r.refusal(name), pointer);
            super.visitMethodPointerExpression(pointer);
        }
    }
}
