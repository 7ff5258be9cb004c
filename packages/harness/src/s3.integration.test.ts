import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { makeTempDir, removeDir } from './common';
import { startS3Server, type RunningS3Server } from './s3';

function clientOf(
  server: RunningS3Server,
  secretAccessKey = server.secretAccessKey,
): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey },
  });
}

describe('startS3Server', () => {
  it('serves buckets over the S3 API, checks signatures, and keeps its state across a restart', async () => {
    const stateDir = makeTempDir('s3-state');
    let server = await startS3Server({ stateDir });
    try {
      const s3 = clientOf(server);
      await s3.send(new CreateBucketCommand({ Bucket: 'logs' }));
      await s3.send(
        new PutObjectCommand({
          Bucket: 'logs',
          Key: 'spark-events/app-1',
          Body: 'first line\nsecond line\n',
        }),
      );
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: 'logs', Prefix: 'spark-events/' }),
      );
      expect(listed.Contents?.map(o => [o.Key, o.Size])).toEqual([
        ['spark-events/app-1', 23],
      ]);
      const ranged = await s3.send(
        new GetObjectCommand({
          Bucket: 'logs',
          Key: 'spark-events/app-1',
          Range: 'bytes=11-',
        }),
      );
      expect(await ranged.Body!.transformToString()).toBe('second line\n');

      await expect(
        clientOf(server, 'not-the-secret').send(
          new ListObjectsV2Command({ Bucket: 'logs' }),
        ),
      ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      await expect(
        s3.send(new ListObjectsV2Command({ Bucket: 'missing' })),
      ).rejects.toMatchObject({ name: 'NoSuchBucket' });

      const port = server.port;
      await server.stop();
      server = await startS3Server({ stateDir, port });
      const again = await clientOf(server).send(
        new GetObjectCommand({ Bucket: 'logs', Key: 'spark-events/app-1' }),
      );
      expect(await again.Body!.transformToString()).toBe(
        'first line\nsecond line\n',
      );
    } finally {
      await server.stop();
      removeDir(stateDir);
    }
  }, 120_000);
});
