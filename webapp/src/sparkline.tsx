/** A small inline-SVG line of the last samples: no chart library in a System Console bundle. */
import { formatRate } from './format.js';

export interface SparklineProps {
  /** Oldest first. */
  values: readonly number[];
  /** How many samples fit; fewer are drawn right-aligned, so the line grows from the right. */
  capacity: number;
  width?: number;
  height?: number;
  /** What the values are, for screen readers. */
  label: string;
}

export function Sparkline({ values, capacity, width = 300, height = 64, label }: SparklineProps) {
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, capacity - 1);
  const offset = Math.max(0, capacity - values.length);
  const points = values.map((value, i) => {
    const x = (offset + i) * step;
    const y = height - 2 - (value / max) * (height - 4);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const last = values.at(-1);
  const description = values.length === 0
    ? `${label}: no samples yet`
    : `${label}: now ${formatRate(last)}, highest ${formatRate(Math.max(...values))} over the last ${values.length} samples`;
  const first = points[0];
  const end = points.at(-1);
  return (
    <svg
      className='mae-sparkline'
      viewBox={`0 0 ${width} ${height}`}
      // Stretches to the tile's width; the strokes keep their thickness (non-scaling-stroke).
      preserveAspectRatio='none'
      role='img'
      aria-label={description}
      data-samples={values.length}
    >
      <line className='mae-sparkline__base' x1={0} y1={height - 1} x2={width} y2={height - 1}/>
      {points.length > 1 && first && end ? (
        <>
          <polygon className='mae-sparkline__area' points={`${first.split(',')[0]},${height - 1} ${points.join(' ')} ${end.split(',')[0]},${height - 1}`}/>
          <polyline className='mae-sparkline__line' points={points.join(' ')}/>
        </>
      ) : null}
    </svg>
  );
}
