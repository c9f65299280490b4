package dev.cutover.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Refuses annotations that act while a block is compiled. {@code @ASTTest}'s closure is run by the
 * compiler: {@code cutover check} compiles every block and must never execute any of them. Grape's
 * {@code @Grab} family downloads at compile time through Ivy, which cutover does not ship (it was a
 * {@code NoClassDefFoundError}), and a window has no business downloading anyway; Grape's global
 * transformation is switched off ({@link GroovyEngine}) so these annotations reach this check inert.
 * Runs at conversion, before an annotation is acted on, so names are still as written: simple,
 * qualified or an import alias.
 */
final class CompileTimeCodeBan extends CompilationCustomizer {
    private static final String AST_TEST = "groovy.transform.ASTTest";
    private static final String AST_TEST_REASON = "@ASTTest runs code while the runbook is compiled"
            + " (cutover check would run it); a runbook may not use it";
    /** Grape's annotations, all in groovy.lang (imported by default). */
    private static final List<String> GRAPE = List.of("Grab", "Grapes", "GrabResolver", "GrabConfig", "GrabExclude");

    /** Grape's global transformation: off, so that {@code @Grab} never reaches Ivy (see the class comment). */
    static final String GRAB_TRANSFORMATION = "groovy.grape.GrabAnnotationTransformation";

    CompileTimeCodeBan() {
        super(CompilePhase.CONVERSION);
    }

    private static String grapeReason(String simpleName) {
        return "@" + simpleName + " is not available in runbooks (no downloads in a window); put the library on cutover's"
                + " classpath beforehand, or do the work with a command or sh()";
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        Map<String, String> banned = new HashMap<>(); // name as written -> reason
        banned.put("ASTTest", AST_TEST_REASON);
        banned.put(AST_TEST, AST_TEST_REASON);
        for (String g : GRAPE) {
            banned.put(g, grapeReason(g));
            banned.put("groovy.lang." + g, grapeReason(g));
        }
        List<ImportNode> imports = new ArrayList<>(module.getImports());
        imports.addAll(module.getStarImports());
        imports.addAll(module.getStaticImports().values());
        imports.addAll(module.getStaticStarImports().values());
        for (ImportNode i : module.getImports()) {
            String reason = banned.get(i.getClassName());
            if (reason != null) banned.put(i.getAlias(), reason);
        }
        for (ImportNode i : imports) check(source, banned, i);
        if (module.getPackage() != null) check(source, banned, module.getPackage());
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitAnnotations(AnnotatedNode node) {
                check(source, banned, node);
                super.visitAnnotations(node);
            }
        }.visitClass(classNode);
    }

    private static void check(SourceUnit source, Map<String, String> banned, AnnotatedNode node) {
        for (AnnotationNode a : node.getAnnotations()) {
            String reason = banned.get(a.getClassNode().getName());
            if (reason != null) source.getErrorCollector().addError(new ForbiddenCode(reason, a), source);
        }
    }
}
