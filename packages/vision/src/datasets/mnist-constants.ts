// Facts about MNIST and Fashion-MNIST that need no file: class names and pixel statistics.

/** Mean and std of pixel intensity in [0, 1] of each training set, as torchvision's examples use. */
export const NORMALISATION = {
  /** MNIST (handwritten digits). */
  mnist: {
    /** Mean pixel intensity. */
    mean: 0.1307,
    /** Pixel standard deviation. */
    std: 0.3081,
  },
  /** Fashion-MNIST (Zalando's clothes). */
  fashion: {
    /** Mean pixel intensity. */
    mean: 0.286,
    /** Pixel standard deviation. */
    std: 0.353,
  },
} as const;

/** MNIST's mean pixel intensity in [0, 1] (`Normalize([MNIST_MEAN], [MNIST_STD])`). */
export const MNIST_MEAN = NORMALISATION.mnist.mean;
/** MNIST's pixel standard deviation in [0, 1]. */
export const MNIST_STD = NORMALISATION.mnist.std;

/** Which data set: handwritten digits or Zalando's clothes. */
export type MnistKind = keyof typeof NORMALISATION;

/** torchvision's `MNIST.classes`. */
export const MNIST_CLASSES = [
  '0 - zero',
  '1 - one',
  '2 - two',
  '3 - three',
  '4 - four',
  '5 - five',
  '6 - six',
  '7 - seven',
  '8 - eight',
  '9 - nine',
] as const;

/** The ten Fashion-MNIST classes in label order (torchvision's `FashionMNIST.classes`). */
export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
