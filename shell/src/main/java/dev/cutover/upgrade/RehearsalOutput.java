package dev.cutover.upgrade;

import java.util.ArrayList;
import java.util.List;
import dev.cutover.spi.CommandContext;
import dev.cutover.spi.OutputKind;

/**
 * The rehearsal script's output, sorted as it streams: pg_upgrade's own lines are shown as they come;
 * the script's marked lines (libraries loaded, report files and their contents, the directory kept)
 * are collected for the checks instead.
 */
final class RehearsalOutput {
    static final String LOAD_START_FAILED = "cutover:load-start-failed ";
    private static final String FILE = "cutover:file ";
    private static final String LINE = "cutover:line ";
    private static final String KEPT = "cutover:kept ";

    private final CommandContext ctx;
    private final List<String> lines = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();
    private final List<PgUpgradeReport.File> files = new ArrayList<>();
    private String kept;
    private String loadStartFailed;

    RehearsalOutput(CommandContext ctx) {
        this.ctx = ctx;
    }

    synchronized void stdout(String line) {
        if (line.startsWith(FILE)) {
            files.add(new PgUpgradeReport.File(line.substring(FILE.length()), new ArrayList<>()));
        } else if (line.startsWith(LINE) && !files.isEmpty()) {
            files.get(files.size() - 1).lines().add(line.substring(LINE.length()));
        } else if (line.startsWith(KEPT)) {
            kept = line.substring(KEPT.length());
        } else if (line.startsWith(LOAD_START_FAILED)) {
            loadStartFailed = line.substring(LOAD_START_FAILED.length()).strip();
        } else if (line.startsWith(Libraries.LOAD_MARK)) {
            loads.add(line);
        } else {
            lines.add(line);
            ctx.out(line);
        }
    }

    synchronized void stderr(String line) {
        lines.add(line);
        ctx.out(OutputKind.ERR, line);
    }

    /** pg_upgrade's own lines (and the script's errors). */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The script's answers for each library LOADed. */
    synchronized List<String> loads() {
        return List.copyOf(loads);
    }

    synchronized List<PgUpgradeReport.File> files() {
        return List.copyOf(files);
    }

    synchronized String kept() {
        return kept;
    }

    synchronized String loadStartFailed() {
        return loadStartFailed;
    }
}
