package dev.cutover.engine;

import groovy.lang.Script;

/**
 * A compiled block: the script class plus where its line 1 sits in the runbook, so runtime errors
 * can point at the runbook's own line.
 */
record CompiledBlock(Class<? extends Script> scriptClass, String scriptName) {
}
