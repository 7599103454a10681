// The MD5 checksums the event data sets' publishers give for their archives (as tonic and SpikingJelly
// check them on download), by file name. snnkit downloads nothing; it checks the archives a user has.

/** A published archive: its data set, what it holds, and its MD5 (hex). */
export interface PublishedArchive {
  dataset: string;
  contents: string;
  md5: string;
}

/** The archives of N-MNIST (Orchard et al. 2015), SHD and SSC (Cramer et al. 2020) and DVS Gesture (Amir et al. 2017), by file name. */
export const PUBLISHED_ARCHIVES: Readonly<Record<string, PublishedArchive>> = {
  "Train.zip": { dataset: "N-MNIST", contents: "the training samples", md5: "20959b8e626244a1b502305a9e6e2031" },
  "Test.zip": { dataset: "N-MNIST", contents: "the test samples", md5: "69ca8762b2fe404d9b9bad1103e97832" },
  "shd_train.h5.zip": { dataset: "SHD", contents: "shd_train.h5", md5: "f3252aeb598ac776c1b526422d90eecb" },
  "shd_test.h5.zip": { dataset: "SHD", contents: "shd_test.h5", md5: "1503a5064faa34311c398fb0a1ed0a6f" },
  "ssc_train.h5.zip": { dataset: "SSC", contents: "ssc_train.h5", md5: "d102be95e7144fcc0553d1f45ba94170" },
  "ssc_valid.h5.zip": { dataset: "SSC", contents: "ssc_valid.h5", md5: "b4eee3516a4a90dd0c71a6ac23a8ae43" },
  "ssc_test.h5.zip": { dataset: "SSC", contents: "ssc_test.h5", md5: "a35ff1e9cffdd02a20eb850c17c37748" },
  "DvsGesture.tar.gz": { dataset: "DVS Gesture", contents: "the recordings and their labels", md5: "8a5c71fb11e24e5ca5b11866ca6c00a1" },
};

/** The published archive a file name is (N-MNIST's Train.zip and Test.zip also in lower case), or null. */
export function publishedArchive(name: string): (PublishedArchive & { name: string }) | null {
  const key = Object.keys(PUBLISHED_ARCHIVES).find((k) => k === name || (k.endsWith(".zip") && k.toLowerCase() === name.toLowerCase() && PUBLISHED_ARCHIVES[k].dataset === "N-MNIST"));
  return key ? { name: key, ...PUBLISHED_ARCHIVES[key] } : null;
}
