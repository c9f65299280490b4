package dev.cutover.engine;

import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * A compile error raised by one of the engine's own checks rather than by Groovy's parser: its
 * message is the whole explanation, shown without the "Groovy syntax error" prefix.
 */
final class ForbiddenCode extends SyntaxException {
    ForbiddenCode(String message, ASTNode at) {
        super(message, at.getLineNumber(), Math.max(0, at.getColumnNumber()));
    }
}
