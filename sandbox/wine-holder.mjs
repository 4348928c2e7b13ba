// A Windows program that holds a staging directory open as a scanner or an
// indexer may: shared for reading and writing, not for deleting, so files
// can still be written in it but the directory cannot be renamed (EBUSY
// under Wine) until it lets go. wine-launch.mjs runs it beside the step, in
// the step's own Wine session.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const HOLDER_C = `#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* holder <parent dir> <record file> <ms to hold once it is written, -1: until killed> */
int main(int argc, char **argv) {
  char pattern[MAX_PATH], dir[MAX_PATH], record[MAX_PATH];
  WIN32_FIND_DATAA found;
  HANDLE held = INVALID_HANDLE_VALUE, list;
  long hold;
  DWORD start = GetTickCount();
  if (argc != 4) return 2;
  hold = atol(argv[3]);
  snprintf(pattern, sizeof pattern, "%s\\\\.staging-*", argv[1]);
  /* A fresh staging directory: ".staging-" and 12 hex digits, no suffix. */
  while (held == INVALID_HANDLE_VALUE) {
    if (GetTickCount() - start > 120000) { puts("no staging directory appeared"); return 1; }
    list = FindFirstFileA(pattern, &found);
    if (list != INVALID_HANDLE_VALUE) {
      do {
        if ((found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && strlen(found.cFileName) == 21) {
          snprintf(dir, sizeof dir, "%s\\\\%s", argv[1], found.cFileName);
          held = CreateFileA(dir, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
          if (held != INVALID_HANDLE_VALUE) break;
        }
      } while (FindNextFileA(list, &found));
      FindClose(list);
    }
    if (held == INVALID_HANDLE_VALUE) Sleep(2);
  }
  printf("holding %s, not shared for deleting\\n", found.cFileName);
  fflush(stdout);
  /* The record is the last file written before the rename: hold from there. */
  snprintf(record, sizeof record, "%s\\\\%s", dir, argv[2]);
  while (GetFileAttributesA(record) == INVALID_FILE_ATTRIBUTES) Sleep(2);
  printf("record written; holding %ld ms more\\n", hold);
  fflush(stdout);
  if (hold < 0) Sleep(INFINITE);
  Sleep((DWORD)hold);
  CloseHandle(held);
  puts("released");
  return 0;
}
`

/** Compiles the holder with mingw-w64 (as the Windows release stand-in is) into `dir`. */
export function buildHolder(dir) {
  mkdirSync(dir, { recursive: true })
  const source = path.join(dir, 'holder.c')
  const out = path.join(dir, 'holder.exe')
  writeFileSync(source, HOLDER_C)
  execFileSync('x86_64-w64-mingw32-gcc', ['-Os', '-s', '-o', out, source], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  return out
}
