package dev.cutover.ui;

import org.jline.reader.ParsedLine;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * Multi-line input while Groovy braces, brackets or quotes are open. Controls ({@code /note it's
 * fine}) are single lines: an apostrophe in a note must not open a quote.
 */
final class InputParser extends DefaultParser {
    InputParser() {
        setEofOnUnclosedBracket(Bracket.CURLY, Bracket.ROUND, Bracket.SQUARE);
        setEofOnUnclosedQuote(true);
        setEscapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        if (line.stripLeading().startsWith("/") && context == ParseContext.ACCEPT_LINE) {
            return super.parse(line, cursor, ParseContext.SPLIT_LINE);
        }
        return super.parse(line, cursor, context);
    }
}
