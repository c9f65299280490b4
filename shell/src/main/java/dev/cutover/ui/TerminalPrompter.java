package dev.cutover.ui;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import dev.cutover.engine.Prompter;

/** Asks on the terminal. Ctrl-C or Ctrl-D at a question means no. Secrets are read without echo. */
final class TerminalPrompter implements Prompter {
    private final LineReader reader;

    TerminalPrompter(LineReader reader) {
        this.reader = reader;
    }

    @Override
    public boolean confirm(String question) {
        try {
            // The question comes from a block: no control sequence of its own reaches the terminal.
            String answer = readWithoutHistory(dev.cutover.render.ControlChars.escape(question) + " [y/N] ", null);
            return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes");
        } catch (UserInterruptException | EndOfFileException e) {
            return false;
        }
    }

    /** Answers to questions (and secrets above all) stay out of the shell history. */
    private String readWithoutHistory(String prompt, Character mask) {
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(prompt, mask);
        } finally {
            reader.getVariables().remove(LineReader.DISABLE_HISTORY);
        }
    }

    @Override
    public String ask(String name, String description, boolean secret) {
        String prompt = "param " + name + (description == null ? "" : " (" + description + ")") + (secret ? " [hidden]" : "") + ": ";
        try {
            String v = readWithoutHistory(prompt, secret ? LineReaderImpl.NULL_MASK : null);
            return v == null || v.isEmpty() ? null : v;
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }
}
