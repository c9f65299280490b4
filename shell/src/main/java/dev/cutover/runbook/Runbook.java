package dev.cutover.runbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed runbook: its Markdown source, declared params and runnable steps.
 *
 * @param path       where it was read from
 * @param displayName the name errors use (the path as given)
 * @param title      front-matter title, else the first heading, else the file name
 * @param sha256     of the file's bytes
 * @param source     the Markdown text
 */
public record Runbook(Path path, String displayName, String title, String sha256, String source,
                      List<ParamSpec> params, List<Step> steps) {

    /** A step by number ("3") or id ("promote"). */
    public Optional<Step> find(String numberOrId) {
        String key = numberOrId.trim();
        if (key.matches("\\d+")) {
            if (key.length() > 9) return Optional.empty();
            int n = Integer.parseInt(key);
            return n >= 1 && n <= steps.size() ? Optional.of(steps.get(n - 1)) : Optional.empty();
        }
        return steps.stream().filter(s -> s.id().equals(key)).findFirst();
    }

    public Optional<ParamSpec> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
