/* Runs librdkafka's in-memory mock Kafka cluster as a standalone dev/test broker, driven by line commands on stdin. */

/*
 * Protocol (one line in, one line out):
 *   on start      prints the bootstrap address, e.g. "127.0.0.1:39417"
 *   create topic NAME PARTITIONS [REPLICATION]
 *                 -> "ok created NAME PARTITIONS" | "error CODE NAME_OF_CODE: text"
 *   delete topic NAME
 *                 -> always "error -1 UNSUPPORTED: ..." (librdkafka 2.0.2's mock has no topic deletion)
 *   bootstrap     -> "ok ADDRESS"
 *   ping          -> "ok pong"
 * CODE is the Kafka protocol error code when one applies (36 = TOPIC_ALREADY_EXISTS), else -1.
 * The process exits when stdin closes, so it never outlives the Node process that spawned it.
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_LINE 4096
#define MAX_PARTITIONS 10000

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void reply(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stdout, fmt, ap);
        va_end(ap);
        fputc('\n', stdout);
        /* The parent waits for each answer line, so it must not sit in a buffer. */
        if (fflush(stdout) != 0)
                exit(0); /* parent is gone */
}

/* librdkafka logs every connection event; only real errors are worth the parent's stderr. */
static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        if (level <= 3)
                fprintf(stderr, "kafka-mock-broker: %s: %s\n", fac, buf);
}

static int parse_int(const char *s, long min, long max, long *out) {
        char *end;
        long v;
        if (!s)
                return -1;
        errno = 0;
        v     = strtol(s, &end, 10);
        if (errno || *end != '\0' || v < min || v > max)
                return -1;
        *out = v;
        return 0;
}

static void cmd_create_topic(rd_kafka_mock_cluster_t *mcluster, char *save) {
        char *name    = strtok_r(NULL, " \t", &save);
        char *parts_s = strtok_r(NULL, " \t", &save);
        char *repl_s  = strtok_r(NULL, " \t", &save);
        long parts, repl = 1;
        rd_kafka_resp_err_t err;

        if (!name || parse_int(parts_s, 1, MAX_PARTITIONS, &parts) != 0 ||
            (repl_s && parse_int(repl_s, 1, 32767, &repl) != 0)) {
                reply("error -1 BAD_COMMAND: usage: create topic NAME PARTITIONS [REPLICATION]");
                return;
        }

        err = rd_kafka_mock_topic_create(mcluster, name, (int)parts, (int)repl);
        if (err)
                reply("error %d %s: %s", (int)err, rd_kafka_err2name(err), rd_kafka_err2str(err));
        else
                reply("ok created %s %ld", name, parts);
}

int main(void) {
        char errstr[512];
        char line[MAX_LINE];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mcluster;
        const char *bootstraps;

        /* A dead parent must surface as a failed write (handled in reply), not a silent kill mid-command. */
        signal(SIGPIPE, SIG_IGN);

        conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, log_cb);
        /* The handle only hosts the mock cluster; it never talks to a broker itself. */
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "kafka-mock-broker: rd_kafka_new failed: %s\n", errstr);
                return 1;
        }

        mcluster = rd_kafka_mock_cluster_new(rk, 1);
        if (!mcluster) {
                fprintf(stderr, "kafka-mock-broker: could not create the mock cluster\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        bootstraps = rd_kafka_mock_cluster_bootstraps(mcluster);
        reply("%s", bootstraps);

        while (fgets(line, sizeof(line), stdin)) {
                char *save = NULL;
                char *verb, *noun;
                size_t len = strlen(line);

                while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = '\0';

                verb = strtok_r(line, " \t", &save);
                if (!verb)
                        continue;

                if (!strcmp(verb, "ping")) {
                        reply("ok pong");
                } else if (!strcmp(verb, "bootstrap")) {
                        reply("ok %s", bootstraps);
                } else if (!strcmp(verb, "create") && (noun = strtok_r(NULL, " \t", &save)) &&
                           !strcmp(noun, "topic")) {
                        cmd_create_topic(mcluster, save);
                } else if (!strcmp(verb, "delete")) {
                        reply("error -1 UNSUPPORTED: librdkafka 2.0.2's mock cluster cannot delete topics");
                } else {
                        reply("error -1 BAD_COMMAND: unknown command '%s'", verb);
                }
        }

        rd_kafka_mock_cluster_destroy(mcluster);
        rd_kafka_destroy(rk);
        return 0;
}
