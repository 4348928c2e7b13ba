import { readFile, rm, writeFile, copyFile } from 'node:fs/promises';

/**
 * Undoing edits to an OpenSSH config file, byte for byte. The CLI appends
 * its `# BEGIN: … certificate configuration` block after trimming the file's
 * trailing whitespace, so the original bytes cannot be recovered from the
 * edited file alone: a copy is kept (in RUNNER_TEMP) before anything edits
 * it, and restored when the only change since is the block(s) we caused.
 */
/** A block from `# BEGIN: <name>` to `# END: <name>`, any name matching. */
const BLOCK = /^# BEGIN: (.*(?:certificate configuration|setup-upsun-cli.*))\n[\s\S]*?^# END: \1\n?/gm;
async function backupConfig(file, backup) {
    try {
        await copyFile(file, backup);
        return { file, existed: true, backup };
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return { file, existed: false };
        throw error;
    }
}
/** Appends a marked block (creating the file 0600 if needed). */
async function appendBlock(file, name, body) {
    let current = '';
    try {
        current = await readFile(file, 'utf8');
    }
    catch {
        // a new file
    }
    const separator = current === '' ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    await writeFile(file, `${current}${separator}# BEGIN: ${name}\n${body}# END: ${name}\n`, {
        mode: 0o600
    });
}
/** Removes the marked blocks; returns what is left. */
function withoutBlocks(text) {
    return text.replace(BLOCK, '');
}
/**
 * Puts a config file back as it was: the original bytes if nothing but our
 * blocks changed, otherwise the current content minus our blocks (another
 * step's later edits are kept). A file we created and left empty is removed.
 */
async function restoreConfig(record) {
    let current;
    try {
        current = await readFile(record.file, 'utf8');
    }
    catch {
        return 'untouched';
    }
    const remainder = withoutBlocks(current);
    if (remainder === current)
        return 'untouched';
    const original = record.backup ? await readFile(record.backup, 'utf8') : '';
    if (remainder.trimEnd() === original.trimEnd()) {
        if (!record.existed) {
            await rm(record.file, { force: true });
            return 'removed';
        }
        await writeFile(record.file, original);
        return 'restored';
    }
    await writeFile(record.file, remainder.replace(/\n{3,}$/, '\n'));
    return 'edited';
}

export { appendBlock as a, backupConfig as b, restoreConfig as r };
