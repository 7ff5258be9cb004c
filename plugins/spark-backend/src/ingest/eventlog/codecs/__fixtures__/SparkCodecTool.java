import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.history.EventLogFileReader;
import org.apache.spark.io.CompressionCodec;

/**
 * An independent decoder and encoder for the event-log codec tests, made of Spark's own classes:
 *   decode <file> <out>: reads an event-log file as the History Server does (codec from its name)
 *   encode <codec> <in> <out>: compresses as Spark's event-log writer does
 * Several "decode"/"encode" triples may follow each other, to pay for one JVM start only.
 */
public class SparkCodecTool {
  public static void main(String[] args) throws Exception {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    int i = 0;
    while (i < args.length) {
      if (args[i].equals("decode")) {
        try (InputStream in = EventLogFileReader.openEventLog(new Path(args[i + 1]), fs);
            OutputStream out = new FileOutputStream(args[i + 2])) {
          in.transferTo(out);
        }
        i += 3;
      } else if (args[i].equals("encode")) {
        CompressionCodec codec = CompressionCodec.createCodec(new SparkConf(), args[i + 1]);
        try (InputStream in = new FileInputStream(args[i + 2]);
            OutputStream out =
                codec.compressedContinuousOutputStream(new FileOutputStream(args[i + 3]))) {
          in.transferTo(out);
        }
        i += 4;
      } else {
        throw new IllegalArgumentException("expected decode or encode, found " + args[i]);
      }
    }
  }
}
