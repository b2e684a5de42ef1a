#ifndef PERF_GITTYPES_H
#define PERF_GITTYPES_H

/*
 * The libgit2 types that lib's headers name, declared without git2.h: a
 * file of cmd/ that includes lib's headers sees no libgit2 function, so it
 * cannot reach git except through lib (tests/t0990-layers.sh).  C11 allows
 * git2.h to declare the same typedefs again in lib's own files.
 */
typedef struct git_repository git_repository;
typedef struct git_oid git_oid;
typedef struct git_tree git_tree;
typedef struct git_signature git_signature;
typedef struct git_commit git_commit;

/* The length of an object id in hex (PERF_OID_HEX, SHA-1). */
#define PERF_OID_HEX 40

#endif
