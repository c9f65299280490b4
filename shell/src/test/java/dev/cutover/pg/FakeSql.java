package dev.cutover.pg;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import dev.cutover.host.LocalHost;
import dev.cutover.spi.CommandContext;

/**
 * A {@link SqlSession} with canned answers, for unit tests of commands: each query is answered by
 * the first pattern it contains; a query nobody expected fails the test instead of returning
 * nothing (an empty answer could make a check pass over nothing). Everything sent is kept.
 */
public final class FakeSql implements SqlSession {
    private final Map<Pattern, List<Map<String, Object>>> answers = new LinkedHashMap<>();
    public final List<String> sent = new ArrayList<>();
    private ServerStatus status = new ServerStatus(true, null, 150_010, "15.10", false, 1, "0/3000000", "/srv/pg/15/main");

    /** Answers every query that contains {@code regex} with {@code rows}. */
    public FakeSql answer(String regex, List<Map<String, Object>> rows) {
        answers.put(Pattern.compile(regex), rows);
        return this;
    }

    public FakeSql status(ServerStatus s) {
        this.status = s;
        return this;
    }

    /** A server named {@code name} whose SQL this answers, on this machine, with {@code bindir}; output goes to {@code ctx}. */
    public Server server(String name, String bindir, CommandContext ctx) {
        return new Server(name, ConnInfo.parse("postgresql://postgres@127.0.0.1:5432/postgres"), LocalHost.INSTANCE, null, bindir, () -> ctx, this);
    }

    private List<Map<String, Object>> rows(String text) {
        sent.add(text);
        for (Map.Entry<Pattern, List<Map<String, Object>>> a : answers.entrySet()) {
            if (a.getKey().matcher(text).find()) return a.getValue();
        }
        throw new AssertionError("unexpected SQL: " + text);
    }

    @Override
    public SqlResult sql(String text, Object... params) {
        return new SqlResult("fake", rows(text), "fake", Duration.ZERO, text);
    }

    @Override
    public List<Map<String, Object>> sqlIn(String database, String text, Object... params) {
        return rows(text);
    }

    @Override
    public Connection openConnection(String database) {
        throw new UnsupportedOperationException("FakeSql has no JDBC connection: answer through sql()/sqlIn()");
    }

    @Override
    public ServerStatus probe() {
        return status;
    }

    @Override
    public void close() {
    }
}
