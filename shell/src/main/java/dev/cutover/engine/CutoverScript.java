package dev.cutover.engine;

import groovy.lang.Binding;
import groovy.lang.MissingMethodException;
import groovy.lang.Script;

/**
 * The base class of every block: exposes every registered built-in as a function. Named arguments
 * arrive from Groovy as a leading Map ({@code connect 'old', url: '...'} is {@code connect([url:...], 'old')}).
 */
public abstract class CutoverScript extends Script {

    protected CutoverScript() {
    }

    protected CutoverScript(Binding binding) {
        super(binding);
    }

    private Session session() {
        return ((SessionBinding) getBinding()).session();
    }

    public Object methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] a ? a : new Object[] {args};
        Session session = session();
        groovy.lang.Closure<?> function = ((SessionBinding) getBinding()).functions.get(name);
        if (function != null) {
            return function.call(argv);
        }
        if (session.registry().find(name).isPresent()) {
            return session.invokeCommand(name, argv);
        }
        throw new MissingMethodException(name, getClass(), argv);
    }

    // Declared with every numeric signature because Groovy's own sleep(long ms) would otherwise win
    // over the built-in for `sleep 30`, and sleep 30 milliseconds in the middle of a maintenance window.
    public Object sleep(long seconds) {
        return session().invokeCommand("sleep", new Object[] {seconds});
    }

    public Object sleep(int seconds) {
        return session().invokeCommand("sleep", new Object[] {seconds});
    }

    public Object sleep(double seconds) {
        return session().invokeCommand("sleep", new Object[] {seconds});
    }

    public Object sleep(java.math.BigDecimal seconds) {
        return session().invokeCommand("sleep", new Object[] {seconds});
    }

    public Object sleep(CharSequence duration) {
        return session().invokeCommand("sleep", new Object[] {duration.toString()});
    }

    public Object sleep(java.time.Duration duration) {
        return session().invokeCommand("sleep", new Object[] {duration});
    }

    @Override
    public void println(Object value) {
        session().print(String.valueOf(value));
    }

    @Override
    public void println() {
        session().print("");
    }

    @Override
    public void print(Object value) {
        session().print(String.valueOf(value));
    }

    @Override
    public void printf(String format, Object value) {
        session().print(String.format(format, value));
    }

    @Override
    public void printf(String format, Object[] values) {
        session().print(String.format(format, values));
    }
}
