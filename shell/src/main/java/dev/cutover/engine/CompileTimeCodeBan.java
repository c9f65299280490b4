package dev.cutover.engine;

import java.util.HashSet;
import java.util.Set;
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
 * Refuses {@code @ASTTest}, whose closure the compiler runs: {@code cutover check} compiles every
 * block and must never execute any of them. Runs at conversion, before the annotation is acted on,
 * so names are still as written: {@code ASTTest}, {@code groovy.transform.ASTTest} or an import alias.
 */
final class CompileTimeCodeBan extends CompilationCustomizer {
    private static final String AST_TEST = "groovy.transform.ASTTest";

    CompileTimeCodeBan() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        Set<String> names = new HashSet<>(Set.of("ASTTest", AST_TEST));
        for (ImportNode i : module.getImports()) {
            if (AST_TEST.equals(i.getClassName())) names.add(i.getAlias());
        }
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitAnnotations(AnnotatedNode node) {
                for (AnnotationNode a : node.getAnnotations()) {
                    if (names.contains(a.getClassNode().getName())) {
                        source.getErrorCollector().addError(new ForbiddenCode("@ASTTest runs code while the runbook is compiled"
                                + " (cutover check would run it); a runbook may not use it", a), source);
                    }
                }
                super.visitAnnotations(node);
            }
        }.visitClass(classNode);
    }
}
