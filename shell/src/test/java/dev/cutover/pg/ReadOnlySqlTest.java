package dev.cutover.pg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a dry run may send: only statements that provably read. */
class ReadOnlySqlTest {
    private static void reads(String sql) {
        assertTrue(ReadOnlySql.whyNotReadOnly(sql).isEmpty(), sql + " was judged a change: " + ReadOnlySql.whyNotReadOnly(sql));
    }

    private static void changes(String sql) {
        assertTrue(ReadOnlySql.whyNotReadOnly(sql).isPresent(), sql + " was judged a read");
    }

    @Test
    void plainReadsRun() {
        reads("select count(*) from orders");
        reads("SELECT case when x then 1 else 2 end AS v FROM t; show server_version");
        reads("with a as (select 1) select * from a");
        reads("select 'insert into t values (1)' as text, \"update\" from t -- delete\n");
        reads("select $$drop table x$$, $q$ set_config( $q$");
        reads("explain select * from t");
        reads("select pg_current_wal_lsn(), pg_is_in_recovery(), pg_ls_dir('pg_wal')");
        reads("select md5(lo_get(oid)) from pg_largeobject_metadata");
    }

    @Test
    void aDollarInsideAnIdentifierOpensNoQuote() {
        // x$a$ is one identifier: read as the start of $a$...$a$, it hid the rest of the text.
        changes("select 1 as x$a$, pg_terminate_backend(pid) from pg_stat_activity");
        changes("select 1 as x$a$, set_config('default_transaction_read_only', 'off', false)");
        changes("select 1 as x$a$; insert into customers(email) values ('pwned')");
        reads("select 1 as x$a$, 2 as y");
        reads("select $q$ insert into t $q$ as text");
    }

    @Test
    void everythingElseIsListedNotRun() {
        changes("insert into t values (1)");
        changes("UPDATE t SET a = 1");
        changes("alter system set work_mem = '1GB'");
        changes("create table x (a int)");
        changes("select nextval('s')");
        changes("select pg_catalog.set_config('default_transaction_read_only', 'off', false)");
        changes("select pg_reload_conf()");
        changes("select pg_terminate_backend(123)");
        changes("with d as (delete from t returning *) select * from d");
        changes("select * into newtable from t");
        changes("select * from t for update");
        changes("explain analyze delete from t");
        changes("explain (analyze, buffers) select 1");
        changes("select 1; drop table t");
        changes("set default_transaction_read_only = off");
        changes("begin read write");
        changes("do $$ begin perform 1; end $$");
        changes("select \"set_config\"('a', 'b', false)");
        changes("vacuum");
        changes("select lo_unlink(16384)");
        changes("select lo_import('/etc/passwd')");
        changes("copy t from program 'rm -rf /'");
        changes("");
    }
}
