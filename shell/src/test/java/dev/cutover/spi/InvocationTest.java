package dev.cutover.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a command reads its arguments: a typo'd value is one clear line, never a silent default. */
class InvocationTest {

    @Test
    void aFlagIsTrueOrFalseAndNothingElse() {
        Invocation call = Invocation.of("promote", new Object[] {Map.of("force", true, "reverse", "False", "prepare", "yes")});
        assertTrue(call.flag("force", false));
        assertFalse(call.flag("reverse", true), "a param's text 'False' reads as false");
        assertTrue(call.flag("stopOld", true), "absent: the default");
        assertEquals("promote: prepare: 'yes' is not true or false", assertThrows(CommandException.class, () -> call.flag("prepare", false)).getMessage());
    }

    @Test
    void aNumberIsWholeAndInRange() {
        Invocation call = Invocation.of("upgrade", new Object[] {Map.of("jobs", 4, "port", "5433", "bad", "four", "zero", 0, "huge", "99999")});
        assertEquals(4, call.number("jobs", 1, 1, 256));
        assertEquals(5433, call.number("port", 5432, 1, 65535), "a param's text");
        assertEquals(2, call.number("absent", 2, 1, 256));
        assertEquals("upgrade: bad: 'four' is not a whole number from 1 to 256", assertThrows(CommandException.class, () -> call.number("bad", 1, 1, 256)).getMessage());
        assertThrows(CommandException.class, () -> call.number("zero", 1, 1, 256), "0 jobs would never run");
        assertThrows(CommandException.class, () -> call.number("huge", 5432, 1, 65535));
    }

    @Test
    void listsTakeOneValueOrSeveral() {
        Invocation call = Invocation.of("replicate", new Object[] {Map.of("databases", List.of("a", "b"), "acknowledge", "no-key")});
        assertEquals(List.of("a", "b"), call.strings("databases"));
        assertEquals(List.of("no-key"), call.strings("acknowledge"));
        assertEquals(List.of(), call.strings("absent"));
    }
}
