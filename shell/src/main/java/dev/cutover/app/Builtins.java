package dev.cutover.app;

import java.util.List;
import dev.cutover.alias.FlipAliasCommand;
import dev.cutover.basics.ConfirmCommand;
import dev.cutover.basics.ConnectCommand;
import dev.cutover.basics.NoteCommand;
import dev.cutover.basics.ShCommand;
import dev.cutover.basics.SleepCommand;
import dev.cutover.freeze.FreezeCommand;
import dev.cutover.freeze.UnfreezeCommand;
import dev.cutover.history.FixHistoryCommand;
import dev.cutover.replication.LagCommand;
import dev.cutover.replication.PromoteCommand;
import dev.cutover.replication.ReplicateCommand;
import dev.cutover.upgrade.AnalyzeCommand;
import dev.cutover.upgrade.UpgradeCommand;
import dev.cutover.verify.SnapshotCommand;
import dev.cutover.verify.VerifyCommand;
import dev.cutover.engine.Registry;

/**
 * The one list of built-in commands (the composition root). Adding a command = one class in its
 * feature's package + one line here.
 */
public final class Builtins {
    private Builtins() {
    }

    public static Registry registry() {
        return new Registry(List.of(
                new NoteCommand(),
                new ConfirmCommand(),
                new SleepCommand(),
                new ShCommand(),
                new ConnectCommand(),
                new ReplicateCommand(),
                new LagCommand(),
                new FreezeCommand(),
                new UnfreezeCommand(),
                new PromoteCommand(),
                new FlipAliasCommand(),
                new UpgradeCommand(),
                new AnalyzeCommand(),
                new SnapshotCommand(),
                new VerifyCommand(),
                new FixHistoryCommand()));
    }
}
