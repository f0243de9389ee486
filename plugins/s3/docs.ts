import type { KeyDoc } from "kitcfg";

/**
 * `kitcfg keys s3`: one line per .s3cfg option, in kitcfg's words, after s3cmd's own help
 * (s3tools/s3cmd @cee84f9c: the `optparser.add_option` help texts in `s3cmd`, the `Config`
 * class in S3/Config.py, and where the option is read in S3/*.py). The command-line flag
 * that overrides an option for one run is named in parentheses. Every option of s3cmd 2.3.0
 * has a value in the defaults (`s3cmd --dump-config`); the later ones give theirs here.
 */
export function s3KeyDocs(): Record<string, KeyDoc> {
  return {
    // Endpoint and credentials
    access_key: { doc: "Access key ID that identifies you to S3; empty: from AWS_ACCESS_KEY_ID or an IAM role" },
    secret_key: { doc: "Secret access key that signs requests made with access_key" },
    access_token: { doc: "Session token of temporary (STS) credentials, sent along with the two keys" },
    host_base: { doc: "S3 endpoint as host[:port]; for another service set host_bucket to match (--host)" },
    host_bucket: { doc: "Template of a bucket's host[:port], with %(bucket)s for virtual-host style (--host-bucket)" },
    bucket_location: { doc: "Region new buckets are created in (--region, --bucket-location)" },
    signature_v2: { doc: "Sign requests with AWS signature v2, for services without v4 (--signature-v2)" },
    requester_pays: { doc: "Send the requester-pays header, for buckets that bill the reader (--requester-pays)" },
    use_https: { doc: "Talk to the endpoint over HTTPS (--ssl, --no-ssl)" },
    ca_certs_file: { doc: "CA bundle that checks the endpoint's certificate instead of the system's (--ca-certs)" },
    check_ssl_certificate: { doc: "Verify the endpoint's TLS certificate; false accepts any (--no-check-certificate)" },
    check_ssl_hostname: { doc: "Check that the certificate names the endpoint's host (--no-check-hostname)" },
    ssl_client_cert_file: { doc: "Client TLS certificate presented to the endpoint (--ssl-cert)" },
    ssl_client_key_file: { doc: "File holding the private key of ssl_client_cert_file (--ssl-key)" },
    proxy_host: { doc: "HTTP proxy host S3 is reached through; empty connects directly" },
    proxy_port: { doc: "Port of proxy_host, used only when proxy_host is set" },
    sts_endpoint: {
      doc: "STS host asked for role credentials when AWS_ROLE_ARN is set (after s3cmd 2.4.0; AWS_STS_ENDPOINT wins)",
      default: "sts.amazonaws.com",
    },
    cloudfront_host: { doc: "CloudFront API host the cf* commands and invalidations talk to" },
    simpledb_host: { doc: "SimpleDB host, a legacy option s3cmd 2.x reads but never uses" },
    website_endpoint: { doc: "Template of a bucket's website URL, with %(bucket)s and %(location)s (ws-info)" },

    // Connections and transfer mechanics
    connection_pooling: { doc: "Reuse HTTP connections between requests; false opens one each time" },
    connection_max_age: { doc: "Seconds an idle pooled connection may wait and still be reused" },
    socket_timeout: { doc: "Seconds before a stalled network operation is abandoned" },
    max_retries: {
      doc: "Times a failed request is sent again before s3cmd gives up (s3cmd 2.4.0, --max-retries)",
      default: 5,
    },
    send_chunk: { doc: "Bytes read from a file and sent at a time while uploading" },
    recv_chunk: { doc: "Bytes read from the network at a time while downloading" },
    limitrate: {
      doc: "Most bytes per second a transfer may use, k or m suffix allowed; 0 for no limit (--limit-rate)",
    },
    throttle_max: { doc: "Longest pause in seconds between chunks when a transfer is slowed down" },
    use_http_expect: { doc: "Send Expect: 100-continue and wait before sending an upload's body" },
    enable_multipart: { doc: "Upload files larger than multipart_chunk_size_mb in parts (--disable-multipart)" },
    multipart_chunk_size_mb: { doc: "Part size in MiB of multipart uploads, also the size that starts one (5-5120)" },
    multipart_copy_chunk_size_mb: { doc: "Part size in MiB when a large object is copied inside S3 in parts" },
    multipart_max_chunks: { doc: "Most parts one multipart upload may have (AWS allows 10000)" },
    put_continue: { doc: "Resume partial uploads, skipping files and parts whose size and MD5 match (--continue-put)" },
    upload_id: { doc: "UploadId of the multipart upload put resumes, when there are several (--upload-id)" },
    get_continue: { doc: "Resume a partly downloaded file in get (--continue)" },

    // Object storage options
    storage_class: { doc: "Storage class of uploads, e.g. STANDARD_IA or GLACIER; empty: STANDARD (--storage-class)" },
    reduced_redundancy: { doc: "Store uploads in the cheaper REDUCED_REDUNDANCY class (--reduced-redundancy)" },
    server_side_encryption: { doc: "Have S3 encrypt uploads at rest with its own keys (--server-side-encryption)" },
    kms_key: { doc: "KMS key ID S3 encrypts uploads with; needs signature v4 (--server-side-encryption-kms-id)" },
    add_headers: { doc: "Extra HTTP headers of uploads, as comma-separated Name: value pairs (--add-header)" },
    add_encoding_exts: { doc: "Comma-separated extensions (css,js) whose uploads get a charset (--add-encoding-exts)" },
    default_mime_type: { doc: "MIME type of uploads whose type is not guessed (--default-mime-type)" },
    guess_mime_type: { doc: "Guess each upload's MIME type from its extension or content (--no-guess-mime-type)" },
    use_mime_magic: { doc: "Guess MIME types from file content with libmagic, not only names (--no-mime-magic)" },
    mime_type: { doc: "MIME type forced on every upload, over guessing and the default (--mime-type)" },
    preserve_attrs: { doc: "Keep file mode, owner and times in object metadata, restored on download (--no-preserve)" },
    encoding: { doc: "Character set of the terminal and file names, instead of the locale's (--encoding)" },
    urlencoding_mode: { doc: "How object names are sent: normal (URL-encoded) or verbatim, as given (--verbatim)" },

    // Client-side encryption (gpg)
    encrypt: { doc: "Encrypt files with gpg before upload; needs gpg_command and gpg_passphrase (--encrypt)" },
    gpg_command: { doc: "Path of the gpg program used for encrypt" },
    gpg_passphrase: { doc: "Passphrase gpg encrypts uploads and decrypts downloads with" },
    gpg_encrypt: { doc: "Command line s3cmd runs to encrypt an upload, with %(gpg_command)s and file placeholders" },
    gpg_decrypt: { doc: "Command line s3cmd runs to decrypt a download, with %(gpg_command)s and file placeholders" },

    // Commands' behaviour
    keep_dirs: {
      doc: "Upload local folders, empty ones too, as objects of their own (s3cmd 2.4.0, --keep-dirs)",
      default: false,
    },
    skip_destination_validation: {
      doc: "Have S3 skip checking notification targets (setnotification, s3cmd 2.4.0, --skip-destination-validation)",
      default: false,
    },
    acl_public: {
      doc: "Upload with a public-read ACL (true) or a private one (false); unset keeps the bucket's default (-P)",
    },
    dry_run: { doc: "Show what a transfer command would upload or download without doing it (--dry-run)" },
    force: { doc: "Overwrite files and allow other dangerous operations without asking (--force)" },
    recursive: { doc: "Apply put, get and del to whole folders and prefixes (--recursive)" },
    skip_existing: { doc: "In get and sync, skip files that already exist at the destination (--skip-existing)" },
    follow_symlinks: { doc: "Upload what symbolic links point to, as regular files (--follow-symlinks)" },
    delete_removed: { doc: "sync deletes destination objects whose source file is gone (--delete-removed)" },
    delete_after: { doc: "With delete_removed, sync deletes only after uploading new files (--delete-after)" },
    delete_after_fetch: { doc: "Delete remote objects once get or sync has downloaded them (--delete-after-fetch)" },
    delay_updates: { doc: "Obsolete sync option: s3cmd only warns when it is on (--delay-updates)" },
    max_delete: { doc: "Most objects del and sync may delete in one run; -1 for no limit (--max-delete)" },
    cache_file: { doc: "File caching the MD5 sums of local files, so sync need not read them again (--cache-file)" },
    stop_on_error: { doc: "Stop at the first failed transfer instead of going on (--stop-on-error)" },
    limit: { doc: "Most objects ls and la print; -1 for all (--limit)" },
    list_md5: { doc: "Show each object's MD5 sum in ls output (--list-md5)" },
    list_allow_unordered: {
      doc: "Let a non-AWS service list objects unsorted, faster on huge buckets (--list-allow-unordered)",
    },
    long_listing: { doc: "Print the long form of ls output (--long-listing)" },
    human_readable_sizes: { doc: "Print sizes as 1kB rather than in bytes (--human-readable-sizes)" },
    progress_meter: { doc: "Show a progress meter during transfers (--progress, --no-progress)" },
    stats: { doc: "Print transfer statistics when a command ends (--stats)" },
    verbosity: { doc: "Log level: a logging name such as WARNING, INFO or DEBUG, or its number (-v, -d)" },
    restore_days: { doc: "Days a restored Glacier object stays readable (restore command, --restore-days)" },
    restore_priority: { doc: "Glacier retrieval tier of restore: Standard, Expedited or Bulk (--restore-priority)" },
    expiry_date: { doc: "Date from which the bucket's expiration rule applies (expire command, --expiry-date)" },
    expiry_days: { doc: "Days after creation when objects expire (expire command, --expiry-days)" },
    expiry_prefix: { doc: "Key prefix the expiration rule applies to (expire command, --expiry-prefix)" },
    log_target_prefix: { doc: "S3 URI prefix access logs are written to (accesslog, --access-logging-target-prefix)" },
    website_index: { doc: "Index document of a bucket website (ws-create, --ws-index)" },
    website_error: { doc: "Error document of a bucket website (ws-create, --ws-error)" },
    public_url_use_https: { doc: "Print objects' public URLs with https:// instead of http://" },
    signurl_use_https: { doc: "Give the URLs signurl makes an https:// scheme instead of http://" },
    content_disposition: {
      doc: "Content-Disposition a signed URL makes S3 answer with (signurl, --content-disposition)",
    },
    content_type: { doc: "Content-Type a signed URL makes S3 answer with (signurl, --content-type)" },

    // CloudFront
    invalidate_on_cf: { doc: "Invalidate uploaded files in CloudFront after sync (--cf-invalidate)" },
    invalidate_default_index_on_cf: {
      doc: "When invalidating, also invalidate the website's index file (--cf-invalidate-default-index)",
    },
    invalidate_default_index_root_on_cf: {
      doc: "When invalidating, also invalidate the index file's folder path (--cf-no-invalidate-default-index-root)",
    },
  };
}
