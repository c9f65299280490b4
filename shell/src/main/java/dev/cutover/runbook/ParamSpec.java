package dev.cutover.runbook;

/**
 * A runbook parameter declared in the front matter.
 *
 * @param defaultValue null when the parameter is required
 */
public record ParamSpec(String name, String defaultValue, boolean secret, String description) {

    public boolean required() {
        return defaultValue == null;
    }
}
