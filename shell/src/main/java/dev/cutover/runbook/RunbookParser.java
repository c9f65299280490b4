package dev.cutover.runbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Reads a Markdown runbook into steps. Pure: no Groovy, no I/O beyond reading the file.
 * Line numbers in every error are the file's own (front matter and CRLF included).
 */
public final class RunbookParser {
    private final Parser markdown = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    public Runbook parse(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return parse(path, path.toString(), bytes);
    }

    public Runbook parse(Path path, String displayName, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        // One line model for everything: CRLF and lone CR become LF so line numbers match editors.
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        List<String> lines = List.of(text.split("\n", -1));

        FrontMatter front = FrontMatter.parse(displayName, lines);
        // Blank the front matter out rather than cutting it, so commonmark's line indexes stay the file's.
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) body.append('\n');
            if (i >= front.lineCount()) body.append(lines.get(i));
        }
        List<RawBlock> blocks = new ArrayList<>();
        String[] firstHeading = {null};
        try {
            visitBlocks(markdown.parse(body.toString()), displayName, lines, blocks, firstHeading);
        } catch (StackOverflowError e) {
            // commonmark parses and visits nested blocks (and emphasis) by recursion: thousands of levels exhaust the stack.
            // Nothing is held while it parses, so the error is safe to catch; the runbook is simply not one.
            throw new RunbookException(new SourceLocation(displayName, 0), TOO_DEEP);
        }

        List<Step> steps = assignIds(displayName, blocks);
        String title = front.title() != null ? front.title()
                : firstHeading[0] != null ? firstHeading[0]
                : path.getFileName().toString().replaceFirst("\\.md$", "");
        return new Runbook(path, displayName, title, sha256(bytes), text, front.params(), steps);
    }

    /** Why a runbook whose Markdown nests thousands of levels deep is refused. */
    public static final String TOO_DEEP = "nested too deeply for the Markdown parser (block quotes or lists)";

    private static void visitBlocks(Node document, String displayName, List<String> lines, List<RawBlock> blocks, String[] firstHeading) {
        document.accept(new AbstractVisitor() {
            String currentTitle;

            @Override
            public void visit(Heading heading) {
                currentTitle = textOf(heading).strip();
                if (firstHeading[0] == null && heading.getLevel() == 1) firstHeading[0] = currentTitle;
            }

            @Override
            public void visit(FencedCodeBlock block) {
                int fenceLine = block.getSourceSpans().isEmpty() ? 0 : block.getSourceSpans().get(0).getLineIndex();
                SourceLocation fence = new SourceLocation(displayName, fenceLine + 1, block.getFenceIndent() + 1);
                String fenceText = lines.get(fenceLine);
                InfoString info = InfoString.parse(block.getInfo(), fence, fenceText);
                if (block.getClosingFenceLength() == null) {
                    throw new RunbookException(fence, "unclosed " + fenceMark(block) + " fence: add a closing "
                            + fenceMark(block) + " line after the block", fenceText);
                }
                if (info != null) {
                    String code = block.getLiteral();
                    if (code.endsWith("\n")) code = code.substring(0, code.length() - 1);
                    refuseLongLines(code, new SourceLocation(displayName, fenceLine + 2));
                    blocks.add(new RawBlock(info, currentTitle, code, new SourceLocation(displayName, fenceLine + 2), fence, fenceText));
                }
            }
        });
    }

    /** Longest code line accepted: no real step needs more, and compiling megabytes of one expression takes minutes. */
    static final int MAX_CODE_LINE = 65_536;

    private static void refuseLongLines(String code, SourceLocation start) {
        int lineNo = 0;
        int from = 0;
        while (from <= code.length()) {
            int nl = code.indexOf('\n', from);
            int end = nl < 0 ? code.length() : nl;
            if (end - from > MAX_CODE_LINE) {
                throw new RunbookException(start.plusLines(lineNo, 0), "a code line of " + (end - from)
                        + " characters (at most " + MAX_CODE_LINE + "): not a runbook step");
            }
            if (nl < 0) break;
            from = nl + 1;
            lineNo++;
        }
    }

    private static List<Step> assignIds(String file, List<RawBlock> blocks) {
        Map<String, RawBlock> explicit = new HashMap<>();
        for (RawBlock b : blocks) {
            String id = b.info().id();
            if (id == null) continue;
            RawBlock first = explicit.putIfAbsent(id, b);
            if (first != null) {
                throw new RunbookException(b.fence(), "duplicate step id '" + id + "' (first used at "
                        + first.fence() + ")", b.fenceText());
            }
        }
        Set<String> used = new HashSet<>(explicit.keySet());
        List<Step> steps = new ArrayList<>();
        for (RawBlock b : blocks) {
            int number = steps.size() + 1;
            String title = b.title() != null ? b.title() : "Step " + number;
            String id = b.info().id();
            if (id == null) {
                String base = Slugs.of(title);
                id = base;
                for (int n = 2; used.contains(id); n++) id = base + "-" + n;
                used.add(id);
            }
            steps.add(new Step(number, id, title, b.info().kind(), b.info().target(), b.code(), b.codeStart(),
                    b.info().flags()));
        }
        return List.copyOf(steps);
    }

    private static String fenceMark(FencedCodeBlock block) {
        Integer len = block.getOpeningFenceLength();
        return block.getFenceCharacter().repeat(len == null ? 3 : len);
    }

    private static String textOf(Node node) {
        StringBuilder sb = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                sb.append(code.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.HtmlInline html) {
                sb.append(html.getLiteral());
            }
        });
        return sb.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record RawBlock(InfoString info, String title, String code, SourceLocation codeStart,
                            SourceLocation fence, String fenceText) {
    }
}
