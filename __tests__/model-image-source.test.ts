import { buildPushSteps, dockerBuildLines, imageName } from '../src/model/targets/image-source.js';

describe('imageName', () => {
  test('drops registry host, tag and digest', () => {
    expect(imageName('docker.io/acme/shop:1.2')).toBe('acme/shop');
    expect(imageName('ghcr.io/acme/shop@sha256:0123abcd')).toBe('acme/shop');
    expect(imageName('localhost:5000/shop')).toBe('shop');
    expect(imageName('library/postgres:16')).toBe('postgres');
    expect(imageName('"Acme/Shop"')).toBe('acme/shop');
  });
  test('a name written with variables is no name', () => {
    expect(imageName('${REGISTRY}/shop')).toBeNull();
    expect(imageName('acme/shop:${TAG}')).toBe('acme/shop');
  });
});

describe('dockerBuildLines', () => {
  test('tags, file and context, across line continuations', () => {
    const text = ['build:', '\tdocker build \\', '\t  -t acme/shop:latest --build-arg X=1 \\', '\t  -f docker/Dockerfile .', 'push:', '\tdocker push acme/shop'].join('\n');
    expect(dockerBuildLines(text)).toEqual([{ line: 2, tags: ['acme/shop:latest'], file: 'docker/Dockerfile', context: '.', push: false }]);
  });
  test('buildx with --push and --tag=', () => {
    expect(dockerBuildLines('docker buildx build --push --tag=acme/shop web')).toEqual([{ line: 1, tags: ['acme/shop'], file: null, context: 'web', push: true }]);
  });
});

describe('buildPushSteps', () => {
  test('tags from a metadata-action step, file and context', () => {
    const text = [
      'jobs:',
      '  image:',
      '    steps:',
      '      - id: meta',
      '        uses: docker/metadata-action@v5',
      '        with:',
      "          images: ${{ github.event_name == 'release' && 'acme/shop' || 'acme/shop-dev' }}",
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: ./docker/Dockerfile.prod',
      '          push: true',
      '          tags: ${{ steps.meta.outputs.tags }}',
    ].join('\n');
    const [step] = buildPushSteps(text);
    expect(step.line).toBe(8);
    expect(step.file).toBe('./docker/Dockerfile.prod');
    expect(step.context).toBe('.');
    expect(step.push).toBe(true);
    expect(step.tags.map((t) => imageName(t))).toEqual([null, 'acme/shop', 'acme/shop-dev']);
  });
});
