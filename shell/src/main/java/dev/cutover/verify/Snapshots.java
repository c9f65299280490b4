package dev.cutover.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The snapshots of this session, including those an earlier run recorded (so a resumed run can still verify). */
public final class Snapshots {
    private final List<Snapshot> all = new ArrayList<>();

    public void add(Snapshot s) {
        all.add(s);
    }

    public Optional<Snapshot> latest() {
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}
