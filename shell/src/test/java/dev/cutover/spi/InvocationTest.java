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
    void listsTakeOneValueOrSeveral() {
        Invocation call = Invocation.of("replicate", new Object[] {Map.of("databases", List.of("a", "b"), "acknowledge", "no-key")});
        assertEquals(List.of("a", "b"), call.strings("databases"));
        assertEquals(List.of("no-key"), call.strings("acknowledge"));
        assertEquals(List.of(), call.strings("absent"));
    }
}
