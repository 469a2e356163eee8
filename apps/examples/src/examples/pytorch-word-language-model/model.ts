// PyTorch's examples/word_language_model/model.py: RNNModel (embedding, RNN/LSTM/GRU, linear
// decoder), the example's own PositionalEncoding, and TransformerModel (an nn.Transformer whose
// encoder stack is used with a causal mask; its decoder stack is replaced by the linear decoder).
import { arange, cos, exp, keep, log, nn, ones, sin, type Tensor, tril, zeros } from '@proj/core';

const F = nn.functional;

export type RnnType = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';
export type Hidden = Tensor | [Tensor, Tensor];

/** Container module with an encoder, a recurrent module, and a decoder. */
export class RNNModel extends nn.Module {
  ntoken: number;
  drop: nn.Dropout;
  encoder: nn.Embedding;
  rnn: nn.LSTM | nn.GRU | nn.RNN;
  decoder: nn.Linear;
  rnnType: RnnType;
  nhid: number;
  nlayers: number;

  constructor(
    rnnType: RnnType,
    ntoken: number,
    ninp: number,
    nhid: number,
    nlayers: number,
    dropout = 0.5,
    tieWeights = false,
  ) {
    super();
    this.ntoken = ntoken;
    this.drop = new nn.Dropout(dropout);
    this.encoder = new nn.Embedding(ntoken, ninp);
    if (rnnType === 'LSTM' || rnnType === 'GRU') {
      this.rnn = new (rnnType === 'LSTM' ? nn.LSTM : nn.GRU)(ninp, nhid, nlayers, { dropout }); // getattr(nn, rnn_type)
    } else {
      const nonlinearity = ({ RNN_TANH: 'tanh', RNN_RELU: 'relu' } as const)[rnnType as string];
      if (nonlinearity === undefined) {
        throw new Error(`An invalid option for \`--model\` was supplied,
                                 options are ['LSTM', 'GRU', 'RNN_TANH' or 'RNN_RELU']`);
      }
      this.rnn = new nn.RNN(ninp, nhid, nlayers, { nonlinearity, dropout });
    }
    this.decoder = new nn.Linear(nhid, ntoken);

    // Optionally tie weights as in:
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016)
    // https://arxiv.org/abs/1608.05859
    // and
    // "Tying Word Vectors and Word Classifiers: A Loss Framework for Language Modeling" (Inan et al. 2016)
    // https://arxiv.org/abs/1611.01462
    if (tieWeights) {
      if (nhid !== ninp) throw new Error('When using the tied flag, nhid must be equal to emsize');
      this.decoder.weight = this.encoder.weight;
    }

    this.initWeights();

    this.rnnType = rnnType;
    this.nhid = nhid;
    this.nlayers = nlayers;
  }

  initWeights(): void {
    const initrange = 0.1;
    nn.init.uniform_(this.encoder.weight, -initrange, initrange);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -initrange, initrange);
  }

  override forward(input: Tensor, hidden: Hidden): [Tensor, Hidden] {
    const emb = this.drop.forward(this.encoder.forward(input));
    let [output, newHidden] = (this.rnn as nn.LSTM).forward(emb, hidden as [Tensor, Tensor]) as [
      Tensor,
      Hidden,
    ];
    output = this.drop.forward(output);
    let decoded = this.decoder.forward(output);
    decoded = decoded.view(-1, this.ntoken);
    return [F.logSoftmax(decoded, { dim: 1 }), newHidden];
  }

  initHidden(bsz: number): Hidden {
    const weight = this.parameters()[0];
    // weight.new_zeros(...): zeros of the weight's dtype and device (no Tensor.newZeros here)
    const newZeros = (...shape: number[]) => zeros(shape, { dtype: weight.dtype, device: weight.device });
    if (this.rnnType === 'LSTM') {
      return [newZeros(this.nlayers, bsz, this.nhid), newZeros(this.nlayers, bsz, this.nhid)];
    }
    return newZeros(this.nlayers, bsz, this.nhid);
  }
}

/**
 * Inject some information about the relative or absolute position of the tokens in the sequence.
 * The positional encodings have the same dimension as the embeddings, so that the two can be summed.
 * Here, we use sine and cosine functions of different frequencies:
 * PosEncoder(pos, 2i) = sin(pos/10000^(2i/d_model)), PosEncoder(pos, 2i+1) = cos(pos/10000^(2i/d_model)).
 */
export class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(dModel: number, dropout = 0.1, maxLen = 5000) {
    super();
    this.dropout = new nn.Dropout({ p: dropout });

    let pe = zeros(maxLen, dModel);
    const position = arange(0, maxLen, { dtype: 'float32' }).unsqueeze(1);
    const divTerm = exp(
      arange(0, dModel, 2)
        .float()
        .mul(-Math.log(10000.0) / dModel),
    );
    pe.indexPut_([':', '0::2'], sin(position.mul(divTerm)));
    pe.indexPut_([':', '1::2'], cos(position.mul(divTerm)));
    pe = pe.unsqueeze(0).transpose(0, 1);
    this.registerBuffer('pe', pe);
  }

  /** x: [sequence length, batch size, embed dim] → the same shape. */
  override forward(x: Tensor): Tensor {
    x = x.add(this.pe.index(`:${x.size(0)}`, ':'));
    return this.dropout.forward(x);
  }
}

/** Container module with an encoder, a recurrent or transformer module, and a decoder. */
export class TransformerModel extends nn.Transformer {
  // The submodules keep Python's snake_case names: they are the state-dict keys
  // (pos_encoder.pe, input_emb.weight), so the original's checkpoints load unchanged.
  model_type: string;
  src_mask: Tensor | null;
  pos_encoder: PositionalEncoding;
  input_emb: nn.Embedding;
  ninp: number;

  constructor(ntoken: number, ninp: number, nhead: number, nhid: number, nlayers: number, dropout = 0.5) {
    super({ dModel: ninp, nhead, dimFeedforward: nhid, numEncoderLayers: nlayers });
    this.model_type = 'Transformer';
    this.src_mask = null;
    this.pos_encoder = new PositionalEncoding(ninp, dropout);

    this.input_emb = new nn.Embedding(ntoken, ninp);
    this.ninp = ninp;
    this.decoder = new nn.Linear(ninp, ntoken);

    this.initWeights();
  }

  generateSquareSubsequentMask(sz: number): Tensor {
    return log(tril(ones(sz, sz)));
  }

  initWeights(): void {
    const initrange = 0.1;
    const decoder = this.decoder as nn.Linear;
    nn.init.uniform_(this.input_emb.weight, -initrange, initrange);
    nn.init.zeros_(decoder.bias!);
    nn.init.uniform_(decoder.weight, -initrange, initrange);
  }

  // @ts-expect-error Python overrides nn.Transformer.forward(src, tgt, ...) with forward(src, has_mask); TypeScript refuses a narrower signature.
  override forward(src: Tensor, hasMask = true): Tensor {
    if (hasMask) {
      const device = src.device;
      if (this.src_mask === null || this.src_mask.size(0) !== src.size(0)) {
        const mask = this.generateSquareSubsequentMask(src.size(0)).to(device);
        // keep(): the cached mask outlives the tidy() scope of the batch that made it
        this.src_mask = keep(mask);
      }
    } else {
      this.src_mask = null;
    }

    src = this.input_emb.forward(src).mul(Math.sqrt(this.ninp));
    src = this.pos_encoder.forward(src);
    let output = this.encoder.forward(src, { mask: this.src_mask }) as Tensor;
    output = this.decoder.forward(output) as Tensor;
    return F.logSoftmax(output, { dim: -1 });
  }
}
