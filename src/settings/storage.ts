/**
 * What a static files storage backend means for serving: a remote storage (django-storages S3,
 * GCS, Azure, Cloudinary, ...) serves the files itself; a WhiteNoise storage means WhiteNoise is
 * in use. A backend class defined in the repository is judged by what its module imports.
 */
import type { Repo } from '../discover/repo.js';
import { resolveModule } from '../parse/python.js';

/** Packages whose storage classes keep files off the app server. */
const REMOTE_PACKAGES = [
  'storages.',
  'cloudinary_storage.',
  'django_s3_storage.',
  'minio_storage.',
  's3_folder_storage.',
  'django_gcloud_storage.',
  'gcloud_storages.',
  'django_storage_supabase.',
  'qiniustorage.',
  'bunny_storage.',
  'django_b2.',
];

const REMOTE_IMPORT = new RegExp(
  String.raw`^[ \t]*(?:from|import)[ \t]+(?:` +
    REMOTE_PACKAGES.map((p) => p.slice(0, -1).replace(/\./g, '\\.')).join('|') +
    String.raw`|boto3|google\.cloud\.storage|azure\.storage)\b`,
  'm',
);
const WHITENOISE_IMPORT = /^[ \t]*(?:from|import)[ \t]+whitenoise\b/m;
const REMOTE_NAME = /S3|Boto|GoogleCloud|GCS|Gcloud|Azure|Cloudinary|Spaces|Minio|Bucket|CloudFiles|Dropbox|R2Storage|B2Storage/;

export interface BackendKind {
  remote: boolean;
  whitenoise: boolean;
  /** The repo file that defines the class, when it is the project's own. */
  definedIn?: string;
}

/**
 * Classify a dotted backend class path (`storages.backends.s3.S3Storage`,
 * `whitenoise.storage.CompressedManifestStaticFilesStorage`, `config.storages.StaticStorage`).
 * `roots` are the directories tried for the project's own modules.
 */
export function classifyBackend(value: string, repo?: Repo, roots: readonly string[] = ['']): BackendKind {
  if (value.startsWith('whitenoise.')) return { remote: false, whitenoise: true };
  if (REMOTE_PACKAGES.some((p) => value.startsWith(p))) return { remote: true, whitenoise: false };
  if (value.startsWith('django.')) return { remote: false, whitenoise: false };
  const dot = value.lastIndexOf('.');
  const cls = dot < 0 ? value : value.slice(dot + 1);
  if (repo && dot > 0) {
    const file = resolveModule((f) => repo.has(f), value.slice(0, dot), null, roots);
    const text = file ? repo.text(file) : null;
    if (file && text !== null) {
      const remote = REMOTE_IMPORT.test(text);
      return { remote, whitenoise: !remote && WHITENOISE_IMPORT.test(text), definedIn: file };
    }
  }
  return { remote: REMOTE_NAME.test(cls), whitenoise: /WhiteNoise|whitenoise/.test(cls) };
}
