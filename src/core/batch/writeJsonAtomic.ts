// Batch state files (jobs.json, export manifests) live in the run folder: written like the run's own files, never
// through a symbolic link (docs/security.md).
export { writeJsonAtomic } from '../run/runFiles';
