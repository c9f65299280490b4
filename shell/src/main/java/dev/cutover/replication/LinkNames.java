package dev.cutover.replication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import dev.cutover.spi.CommandException;

/**
 * What cutover calls the objects of a logical link, so clean-up can find every one of them:
 * the publication {@code base} on each side, the subscription {@code base} on the new server
 * (forward) and {@code base_back} on the old one (the way back), and one slot per database and
 * direction, because slot names are cluster-wide while subscriptions are per database.
 */
public record LinkNames(String base) {
    public static final String DEFAULT = "cutover";
    /** The schema of the marker table (the proof at the cut); cutover's own, dropped by clean-up. */
    public static final String SCHEMA = "cutover";
    /** The marker table the proof at the cut writes to (after any snapshot): cutover's own rows, not the application's. */
    public static final String MARKER = SCHEMA + ".marker";

    public LinkNames {
        if (!base.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new CommandException("replicate: name: '" + base + "' must be lower-case letters, digits and _ (at most 31), starting with a letter");
        }
    }

    public String publication() {
        return base;
    }

    public String forward() {
        return base;
    }

    public String back() {
        return base + "_back";
    }

    /** The other direction's subscription. */
    public String opposite(String subscription) {
        return subscription.equals(forward()) ? back() : forward();
    }

    /** {@code cutover_appdb}, {@code cutover_back_appdb}; names that would not fit or need quoting get a short hash. */
    public String slot(String subscription, String database) {
        String clean = database.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        String slot = subscription + "_" + clean;
        if (slot.length() <= 63 && clean.equals(database)) return slot;
        String hash = hash(database);
        return (subscription + "_" + clean).substring(0, Math.min(slot.length(), 50)) + "_" + hash;
    }

    /** A LIKE pattern matching every slot of this link on either side. */
    public String slotPattern() {
        return base.replace("_", "\\_") + "\\_%";
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
