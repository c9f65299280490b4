package dev.cutover.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ControlCharsTest {
    @Test
    void controlCharactersBecomeVisibleButTabsAndLineFeedsStay() {
        assertEquals("a^[[2J^[]0;pwned^Gb^MFAKE ✔ done", ControlChars.escape("a\u001b[2J\u001b]0;pwned\u0007b\rFAKE ✔ done"));
        assertEquals("e^[[8mhidden", ControlChars.escape("e\u001b[8mhidden"));
        assertEquals("nul ^@ del ^? csi \\u009b[2J nel \\u0085", ControlChars.escape("nul \u0000 del \u007f csi \u009b[2J nel \u0085"));
        assertEquals("col\tcol\nnext é ✔", ControlChars.escape("col\tcol\nnext é ✔"));
        String plain = "nothing to escape";
        assertSame(plain, ControlChars.escape(plain));
    }
}
