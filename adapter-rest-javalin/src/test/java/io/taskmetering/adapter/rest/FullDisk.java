package io.taskmetering.adapter.rest;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/**
 * A disk that can be filled and freed while an H2 file database runs on it: H2's own file-system plug-in
 * ({@code jdbc:h2:full-disk:/path/…}) over the real files, whose writes fail with the operating system's "No space
 * left on device" while the disk is full. Reads go on working, as on a real full disk. Public, with a public
 * constructor: H2 makes an instance per path by reflection.
 */
public final class FullDisk extends FilePathWrapper {
    static final String SCHEME = "full-disk";
    private static volatile boolean full;

    static {
        FilePath.register(new FullDisk());
    }

    public FullDisk() {
        // one per path, made by H2
    }

    /** The JDBC URL of an H2 file database at {@code path} on this disk. */
    static String url(java.nio.file.Path path) {
        return "jdbc:h2:" + SCHEME + ":" + path.toAbsolutePath();
    }

    static void fill() {
        full = true;
    }

    static void free() {
        full = false;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static final class Channel extends FileBase {
        private final FileChannel file;

        Channel(FileChannel file) {
            this.file = file;
        }

        private static void failWhenFull() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            failWhenFull();
            return file.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            failWhenFull();
            return file.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            failWhenFull();
            file.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            failWhenFull();
            file.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
